import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { CloverConfig, GuardrailsConfig } from '../config/types';
import { GuardrailsStack } from '../stacks/guardrails-stack';

export interface GuardrailsStageProps extends StageProps {
  /** The validated config (`loadConfig`); its enclaves are the accounts the guardrails hold. */
  readonly config: CloverConfig;
  /** The config's `guardrails`: the management account and what it enforces. */
  readonly guardrails: GuardrailsConfig;
}

/** The organisation guardrails in the management account (only when `guardrails` is configured). */
export class GuardrailsStage extends Stage {
  public readonly guardrails: GuardrailsStack;
  public readonly stacks: readonly GuardrailsStack[];

  constructor(scope: Construct, id: string, props: GuardrailsStageProps) {
    const env = { account: props.guardrails.managementAccount, region: props.guardrails.region };
    super(scope, id, { ...props, env });
    this.guardrails = new GuardrailsStack(this, 'Guardrails', {
      env,
      config: props.config,
      enclave: { name: 'guardrails', role: 'guardrails' },
      dataClassification: 'organisation-policy',
      description:
        'Clover organisation guardrails: region deny and protections of trails, logs, keys and enclave networks',
    });
    this.stacks = [this.guardrails];
  }
}
