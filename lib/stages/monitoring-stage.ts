import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CloverConfig } from '../config/types';
import { MonitoringStack } from '../stacks/monitoring-stack';

export interface MonitoringStageProps extends StageProps {
  /** The validated config (`loadConfig`); `monitoring` places the stage, the enclaves name its writers. */
  readonly config: CloverConfig;
}

/** The monitoring plane in the independent provider's account: archive, event bus, alerts. */
export class MonitoringStage extends Stage {
  public readonly monitoring: MonitoringStack;
  public readonly stacks: readonly MonitoringStack[];

  constructor(scope: Construct, id: string, props: MonitoringStageProps) {
    const env = { account: props.config.monitoring.account, region: props.config.monitoring.region };
    super(scope, id, { ...props, env });
    this.monitoring = new MonitoringStack(this, 'Monitoring', {
      env,
      config: props.config,
      enclave: { name: 'monitoring', role: 'monitoring' },
      dataClassification: 'security-evidence',
      description: 'Clover monitoring plane: evidence archive, security event bus, alerts',
    });
    this.stacks = [this.monitoring];
  }
}
