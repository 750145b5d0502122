import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { CloverStack } from '../stacks/clover-stack';

export interface EnclaveStageProps extends StageProps {
  readonly enclave: EnclaveConfig;
  readonly config: CloverConfig;
}

/** One enclave: its stacks, all in the enclave's own account and region. */
export class EnclaveStage extends Stage {
  public readonly enclave: EnclaveConfig;
  /** Every stack of the enclave. */
  public readonly stacks: CloverStack[] = [];

  constructor(scope: Construct, id: string, props: EnclaveStageProps) {
    const env = { account: props.enclave.account, region: props.enclave.region };
    super(scope, id, { ...props, env });
    this.enclave = props.enclave;
    const common = {
      env,
      enclave: { name: props.enclave.name, role: 'enclave', interim: props.enclave.interim },
      dataClassification: props.enclave.dataClassification,
    };
    this.stacks.push(new CloverStack(this, 'Network', { ...common, description: `Clover enclave ${props.enclave.name}: network and security gateway` }));
  }
}
