/**
 * Clover's public API: what another CDK app imports from `clover-enclave`
 * (docs/workloads.md). Everything else under lib/ is internal and may change
 * in any release. Rules of your own import `clover-enclave/rules` instead.
 */

// The app and its gate: build the stages from a config, add workloads, synthesize, judge.
export { buildCloverApp, CLOVER_APP_CONTEXT } from './app/clover-app';
export type { CloverApp } from './app/clover-app';
export { main as runCloverApp } from './app/main';
export type { MainOptions as RunCloverAppOptions } from './app/main';
export { formatGateSummary, runGate } from './app/gate';
export type { GateResult } from './app/gate';

// Config.
export { loadConfig } from './config/load';
export type { LoadConfigOptions, LoadedConfig } from './config/load';
export { ConfigError } from './config/errors';
export type { ConfigProblem } from './config/errors';
export type {
  AccessConfig,
  ApplianceAmiConfig,
  CloverConfig,
  EnclaveConfig,
  GatewayConfig,
  GuardrailsConfig,
  IdentitySource,
  InterimConfig,
  InterimPhase,
  InterimPhaseRecord,
  MonitoringConfig,
  OrganizationConfig,
  PipelineConfig,
  PipelineSourceConfig,
  PseudonymisationRule,
  ReplicationConfig,
  ResidencyConfig,
  ShipperConfig,
} from './config/types';

// Stages, and the stacks they hold.
export { EnclaveStage, WorkloadError } from './stages/enclave-stage';
export type { EnclaveResources, EnclaveStageProps, WorkloadFactory } from './stages/enclave-stage';
export { MonitoringStage } from './stages/monitoring-stage';
export type { MonitoringStageProps } from './stages/monitoring-stage';
export { GuardrailsStage } from './stages/guardrails-stage';
export type { GuardrailsStageProps } from './stages/guardrails-stage';
export { CloverStack } from './stacks/clover-stack';
export type { CloverStackProps } from './stacks/clover-stack';
export { NetworkStack } from './stacks/network-stack';
export { DataStack } from './stacks/data-stack';
export { AccessStack } from './stacks/access-stack';
export { LoggingStack } from './stacks/logging-stack';
export { MonitoringStack } from './stacks/monitoring-stack';

// Constructs.
export { EnclaveNetwork } from './constructs/enclave-network/enclave-network';
export type { EnclaveNetworkProps } from './constructs/enclave-network/enclave-network';
export { SecurityGateway } from './constructs/security-gateway/security-gateway';
export type { SecurityGatewayProps } from './constructs/security-gateway/security-gateway';
export { DataVault } from './constructs/data-vault/data-vault';
export type { DataVaultObjectLock, DataVaultProps } from './constructs/data-vault/data-vault';
export type { IncomingReplication, OutgoingReplication } from './constructs/data-vault/replication';
export { LogShipping } from './constructs/log-shipping/log-shipping';
export type { LogShippingProps, ShipperNetwork } from './constructs/log-shipping/log-shipping';
export { ApprovedEmployeeRole } from './constructs/access/approved-employee-role';
export type { ApprovedEmployeeRoleProps } from './constructs/access/approved-employee-role';
export { AuditorRole } from './constructs/access/auditor-role';
export type { AuditorRoleProps } from './constructs/access/auditor-role';
export { BreakGlassAccess } from './constructs/access/break-glass';
export type { BreakGlassAccessProps } from './constructs/access/break-glass';
export type { HumanTrustProps } from './constructs/access/trust';
export type { EnclaveDataResources } from './constructs/access/permissions';
export { EvidenceArchive } from './constructs/monitoring/evidence-archive';
export type { ArchiveWriter, EvidenceArchiveProps } from './constructs/monitoring/evidence-archive';
export type { OrganizationPrincipals } from './constructs/monitoring/organization-grants';
export { SecurityEventBus } from './constructs/monitoring/security-event-bus';
export type { SecurityEventBusProps } from './constructs/monitoring/security-event-bus';
export type { SecurityEventCategory } from './constructs/monitoring/security-events';

// The policy gate.
export { CloverChecks } from './nag/clover-checks';
export type { CloverChecksProps } from './nag/clover-checks';
export { ALL_RULES } from './nag/rules';
export type { CloverRule, RuleDescriptor, RuleFamily, RuleOutcome, Severity } from './audit/rule';
export { acknowledge } from './nag/acknowledge';
export type { Acknowledgment } from './audit/acknowledgments';
