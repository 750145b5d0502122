/**
 * Clover's configuration: every key is documented in docs/config.md with its default.
 * The types here describe a validated config, with every default applied.
 */
import type { PseudonymisationRule } from './shipper-contract';

/**
 * The lifecycle of an interim enclave, in order (docs/migration.md, "The interim lifecycle"):
 * `hosting` → `replicating` → `cutover` → `decommissioned`.
 */
export const INTERIM_PHASES = ['hosting', 'replicating', 'cutover', 'decommissioned'] as const;
export type InterimPhase = (typeof INTERIM_PHASES)[number];

/** A phase the interim enclave has already passed, and the day it left it (entered the next one). */
export interface InterimPhaseRecord {
  readonly phase: InterimPhase;
  /** `YYYY-MM-DD`: the day the enclave moved on from `phase`. */
  readonly date: string;
}

/** An enclave that may, for a limited time, live outside the allowed jurisdictions. */
export interface InterimConfig {
  /** Last day (inclusive, `YYYY-MM-DD`) on which the enclave may exist; from the next day synth fails. */
  readonly sunset: string;
  /** Name of the European enclave that this enclave's data migrates into. */
  readonly migrateTo: string;
  /**
   * Where the enclave is in its lifecycle.
   * @default 'hosting'
   */
  readonly phase: InterimPhase;
  /**
   * The phases already passed, in lifecycle order, each with the day the enclave left it.
   * @default []
   */
  readonly history: readonly InterimPhaseRecord[];
}

/** The security gateway (GWLB + appliance fleet) that fronts an enclave. */
export interface GatewayConfig {
  /**
   * CIDR of the inspection VPC that hosts the Gateway Load Balancer and the appliances.
   * @default '100.64.0.0/22'
   */
  readonly inspectionCidr: string;
  /**
   * EC2 instance type of the appliances.
   * @default 'c7g.large'
   */
  readonly applianceInstanceType: string;
  /**
   * Appliance AMI: `al2023` (latest Amazon Linux 2023 for the instance type's architecture, resolved
   * by CloudFormation from the public SSM parameter at deploy time), or an AMI ID with its architecture.
   * @default { image: 'al2023' }
   */
  readonly applianceAmi: ApplianceAmiConfig;
  /**
   * Minimum appliances; never fewer than the number of AZs.
   * @default number of AZs
   */
  readonly minInstances?: number;
  /**
   * Maximum appliances.
   * @default 2 × minimum
   */
  readonly maxInstances?: number;
}

export interface ApplianceAmiConfig {
  /** `al2023`, or an AMI ID such as `ami-0123456789abcdef0`. */
  readonly image: string;
  /** CPU architecture of a custom AMI; required with an AMI ID. */
  readonly architecture?: 'arm64' | 'x86_64';
}

export interface EnclaveConfig {
  /** Unique, lower-case name (`dublin-1`); used in stack names and tags. */
  readonly name: string;
  /** 12-digit AWS account ID. */
  readonly account: string;
  /** Region code from the region catalogue. */
  readonly region: string;
  /** IPv4 CIDR of the enclave VPC (/16 to /24). */
  readonly cidr: string;
  /**
   * Availability-zone names.
   * @default the first `azCount` AZs of the region in the catalogue
   */
  readonly azs: readonly string[];
  /** Present only for a temporary enclave outside the allowed jurisdictions. */
  readonly interim?: InterimConfig;
  /**
   * Value of the `clover:data-classification` tag.
   * @default 'restricted'
   */
  readonly dataClassification: string;
  /**
   * Whether workloads may reach the internet (workload → GWLB endpoint → NAT → IGW).
   * Without egress, workload subnets have no default route at all.
   * @default true
   */
  readonly egress: boolean;
  /**
   * Dual-stack enclave VPC; `::/0` routes then also go through the GWLB endpoint.
   * @default false
   */
  readonly ipv6: boolean;
  readonly gateway: GatewayConfig;
  /**
   * Data classes held in this enclave: one KMS key per class.
   * @default every class in `dataClasses`
   */
  readonly dataClasses: readonly string[];
  /**
   * Application access log groups (names) that the enclave's shipper subscribes to.
   * @default []
   */
  readonly applicationLogGroups: readonly string[];
  /**
   * A production enclave: the pipeline waits for a manual approval before each wave that deploys it.
   * @default false
   */
  readonly production: boolean;
}

export interface MonitoringConfig {
  /** Account of the monitoring plane (archive, security event bus). */
  readonly account: string;
  /** European region of the monitoring plane. */
  readonly region: string;
  /** HTTPS ingest endpoint of the independent security monitor. */
  readonly ingestUrl: string;
  /**
   * HTTPS endpoint that receives security alerts from the monitoring plane's SNS topic.
   * @default none (no subscription)
   */
  readonly alertUrl?: string;
  /**
   * Object Lock (compliance mode) retention of the evidence archive, in days.
   * @default 365
   */
  readonly archiveRetentionDays: number;
  /**
   * Account IDs of the independent provider allowed to see the gateway endpoint services and
   * assume the auditor role.
   * @default [monitoring.account]
   */
  readonly providerAccounts: readonly string[];
  /**
   * The independent provider's principals (role or user ARNs in `providerAccounts`) that may assume the
   * monitoring plane's auditor role; no other principal of those accounts may.
   * @default `arn:aws:iam::<account>:role/clover-independent-auditor` for each provider account
   */
  readonly auditorPrincipals: readonly string[];
  /**
   * Log group of the organisation trail in its European home region, read instead of
   * forwarding us-east-1 global events through a non-European region.
   * @default none
   */
  readonly organizationTrailLogGroup?: string;
}

export interface ResidencyConfig {
  /**
   * Jurisdictions whose regions may hold enclaves: `EU`, `EEA`, and opt-in `CH`, `UK`.
   * @default ['EU', 'EEA']
   */
  readonly allowJurisdictions: readonly string[];
  /**
   * Employee jurisdictions (ISO country codes or Clover jurisdictions) whose sessions are always denied.
   * @default ['CN', 'RU', 'KP', 'IR']
   */
  readonly blockedJurisdictions: readonly string[];
}

export interface ReplicationConfig {
  /** Source enclave name. */
  readonly from: string;
  /** Destination enclave name; must be in the allowed jurisdictions. */
  readonly to: string;
  /** Data class whose bucket is replicated. */
  readonly dataClass: string;
}

export interface AccessConfig {
  /**
   * Break-glass role: disabled unless `expires` (`YYYY-MM-DD`, inclusive) is today or later.
   * @default disabled
   */
  readonly breakGlass?: { readonly expires: string };
  /**
   * Where employees sign in: `iam` (IAM users or roles; the human roles require MFA) or `identity-center`
   * (IAM Identity Center permission sets; the human roles trust the permission-set role path, since
   * `aws:MultiFactorAuthPresent` is absent on Identity Center and SAML sessions).
   * @default 'iam'
   */
  readonly identitySource: IdentitySource;
  /**
   * Whether the independent auditor may read raw CloudTrail and flow-log events (which carry the
   * personal data the shipper pseudonymises). Off, the auditor reads configuration, findings and the
   * pseudonymised archive, and is explicitly denied the raw events.
   * @default false
   */
  readonly auditorRawLogs: boolean;
}

/** Identity sources of approved employees. */
export const IDENTITY_SOURCES = ['iam', 'identity-center'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

export interface GuardrailsConfig {
  /** Organisations management account where the SCP stack deploys. */
  readonly managementAccount: string;
  /**
   * Region of the guardrails stack (Organizations is global; the stack needs a home).
   * @default monitoring.region
   */
  readonly region: string;
  /**
   * Organisation root or OU IDs the SCPs attach to.
   * @default [] (policies created, not attached)
   */
  readonly targetIds: readonly string[];
  /**
   * The AWS Organizations organisation that holds the enclave accounts: the SCPs attach to its enclave
   * OUs, a service-managed StackSet rolls the baseline out to every account there, and the monitoring
   * plane grants by organisation and OU instead of listing accounts.
   * @default none (SCPs only; the monitoring plane grants account by account)
   */
  readonly organization?: OrganizationConfig;
}

/** `guardrails.organization`. */
export interface OrganizationConfig {
  /** Organisation ID (`o-` and 10 to 32 lower-case letters or digits). */
  readonly id: string;
  /**
   * OUs (or the root) that hold the enclave accounts.
   * @default the root and OU IDs of `guardrails.targetIds`
   */
  readonly enclaveOus: readonly string[];
  /**
   * Whether the baseline creates an AWS Config recorder in every enclave account and region. Turn it off
   * when the landing zone already records (Control Tower does): an account has one recorder per region.
   * @default true
   */
  readonly configRecorder: boolean;
}

export type { PseudonymisationRule };

export interface ShipperConfig {
  /** @default 1024 */
  readonly memoryMb: number;
  /** @default 120 */
  readonly timeoutSeconds: number;
  /**
   * Reserved concurrency of each shipper. Raise the account's "Concurrent executions" quota before
   * setting it: a new account's quota leaves nothing to reserve (docs/deploy.md).
   * @default none (the shipper shares the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /** Monitor request size limit in uncompressed NDJSON bytes. @default 5000000 */
  readonly maxRequestBytes: number;
  /** @default built-in rules for public IPv4/IPv6 addresses and e-mail addresses */
  readonly pseudonymisation: readonly PseudonymisationRule[];
}

/** Where the pipeline gets the repository: a CodeConnections connection, or a zip in an S3 bucket. */
export type PipelineSourceConfig =
  | {
      readonly kind: 'connection';
      /** ARN of the CodeConnections (formerly CodeStar Connections) connection to the repository host. */
      readonly connectionArn: string;
      /** `owner/repository` on the host. */
      readonly repository: string;
      /** @default 'main' */
      readonly branch: string;
    }
  | {
      readonly kind: 's3';
      /** Versioned bucket in the pipeline's account and region. */
      readonly bucket: string;
      /** Key of the zip of the repository. */
      readonly objectKey: string;
    };

/** The CDK Pipelines app (`-c pipeline=true`): a CodePipeline in a European tooling account. */
export interface PipelineConfig {
  /** Tooling account of the pipeline; every deployed account is bootstrapped trusting it. */
  readonly account: string;
  /** European region of the pipeline, its artifact bucket and key. */
  readonly region: string;
  readonly source: PipelineSourceConfig;
}

export interface CloverConfig {
  readonly enclaves: readonly EnclaveConfig[];
  readonly monitoring: MonitoringConfig;
  readonly residency: ResidencyConfig;
  /**
   * Data classes known to Clover; enclaves choose from these.
   * @default ['personal', 'telemetry']
   */
  readonly dataClasses: readonly string[];
  /** @default [] */
  readonly replication: readonly ReplicationConfig[];
  readonly access: AccessConfig;
  /** @default none (no guardrails stack) */
  readonly guardrails?: GuardrailsConfig;
  readonly shipper: ShipperConfig;
  /** @default none (`-c pipeline=true` then fails and names this key) */
  readonly pipeline?: PipelineConfig;
  /**
   * Modules of your own CloverChecks rules (docs/extending.md): paths relative
   * to the config file (or to the working directory for the embedded default),
   * or package names. Their rules run beside Clover's at every synth.
   * @default []
   */
  readonly rules: readonly string[];
}
