import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { AccessStack } from '../stacks/access-stack';
import { CloverStack } from '../stacks/clover-stack';
import { DataStack } from '../stacks/data-stack';
import { LoggingStack } from '../stacks/logging-stack';
import { NetworkStack } from '../stacks/network-stack';

export interface EnclaveStageProps extends StageProps {
  readonly enclave: EnclaveConfig;
  readonly config: CloverConfig;
}

/** One enclave: its stacks, all in the enclave's own account and region. */
export class EnclaveStage extends Stage {
  public readonly enclave: EnclaveConfig;
  public readonly network: NetworkStack;
  public readonly data: DataStack;
  public readonly access: AccessStack;
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
        interim: props.enclave.interim,
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
    this.network = new NetworkStack(this, 'Network', {
      ...common,
      description: `Clover enclave ${name}: segregated VPC, GWLB security gateway, flow logs`,
    });
    this.data = new DataStack(this, 'Data', {
      ...common,
      description: `Clover enclave ${name}: customer-managed keys and resident data stores`,
    });
    this.access = new AccessStack(this, 'Access', {
      ...common,
      data: this.data.vault,
      description: `Clover enclave ${name}: approved-employee, auditor and break-glass roles`,
    });
    this.logging = new LoggingStack(this, 'Logging', {
      ...common,
      description: `Clover enclave ${name}: CloudTrail and the log shipper to the independent monitor`,
    });
    this.access.addStackDependency(this.data);
    this.logging.addStackDependency(this.network);
    this.logging.addStackDependency(this.data);
    this.stacks = [this.network, this.data, this.access, this.logging];
  }
}
