import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EvidenceRecord } from '../config/migration';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { AccessStack } from '../stacks/access-stack';
import { CloverStack } from '../stacks/clover-stack';
import { DataStack } from '../stacks/data-stack';
import { LoggingStack } from '../stacks/logging-stack';
import { NetworkStack } from '../stacks/network-stack';

export interface EnclaveStageProps extends StageProps {
  readonly enclave: EnclaveConfig;
  readonly config: CloverConfig;
  /**
   * Migration evidence the cut-over gate matched to this (interim) enclave's stores; recorded in its templates.
   * @default none
   */
  readonly migrationEvidence?: readonly EvidenceRecord[];
}

/**
 * One enclave: its stacks, all in the enclave's own account and region. A decommissioned interim
 * enclave shrinks to what empties and removes its stores (Data) and what keeps the monitor told (Logging).
 */
export class EnclaveStage extends Stage {
  public readonly enclave: EnclaveConfig;
  /** Absent once the enclave is decommissioned. */
  public readonly network?: NetworkStack;
  public readonly data: DataStack;
  /** Absent once the enclave is decommissioned. */
  public readonly access?: AccessStack;
  public readonly logging: LoggingStack;
  /** Every stack of the enclave. */
  public readonly stacks: readonly CloverStack[];

  constructor(scope: Construct, id: string, props: EnclaveStageProps) {
    const env = { account: props.enclave.account, region: props.enclave.region };
    super(scope, id, { ...props, env });
    this.enclave = props.enclave;
    const organization = props.config.guardrails?.organization;
    const common = {
      env,
      enclave: {
        name: props.enclave.name,
        role: 'enclave',
        interim: props.enclave.interim && {
          ...props.enclave.interim,
          ...(props.migrationEvidence ? { evidence: props.migrationEvidence } : {}),
        },
        // Recorded only when set, so that templates of other enclaves stay as they were.
        ...(props.enclave.production ? { production: true } : {}),
        ...(organization
          ? { organization: { id: organization.id, enclaveOus: organization.enclaveOus } }
          : {}),
      },
      dataClassification: props.enclave.dataClassification,
      enclaveConfig: props.enclave,
      config: props.config,
    };
    const name = props.enclave.name;
    const decommissioned = props.enclave.interim?.phase === 'decommissioned';
    if (!decommissioned) {
      this.network = new NetworkStack(this, 'Network', {
        ...common,
        description: `Clover enclave ${name}: segregated VPC, GWLB security gateway, flow logs`,
      });
    }
    this.data = new DataStack(this, 'Data', {
      ...common,
      description: decommissioned
        ? `Clover interim enclave ${name} (decommissioned): empties and removes its stores`
        : `Clover enclave ${name}: customer-managed keys and resident data stores`,
    });
    if (!decommissioned) {
      this.access = new AccessStack(this, 'Access', {
        ...common,
        data: this.data.vault,
        description: `Clover enclave ${name}: approved-employee, auditor and break-glass roles`,
      });
      this.access.addStackDependency(this.data);
    }
    this.logging = new LoggingStack(this, 'Logging', {
      ...common,
      network: this.network?.network,
      description: `Clover enclave ${name}: CloudTrail and the log shipper to the independent monitor`,
    });
    if (this.network) this.logging.addStackDependency(this.network);
    this.logging.addStackDependency(this.data);
    const stacks: Array<CloverStack | undefined> = [this.network, this.data, this.access, this.logging];
    this.stacks = stacks.filter((stack): stack is CloverStack => stack !== undefined);
  }
}
