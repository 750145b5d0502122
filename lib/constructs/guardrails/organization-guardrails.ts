import { Stack } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { GuardrailInputs, guardrailPolicies, GuardrailPolicy } from './scp';

export interface OrganizationGuardrailsProps extends Omit<GuardrailInputs, 'partition'> {
  /**
   * Organisation root, OU or account IDs every guardrail SCP attaches to.
   * @default [] (policies created, not attached)
   */
  readonly targetIds?: readonly string[];
}

/**
 * Clover's service control policies, created in the organisation's management
 * account: a region deny (with the interim exemptions) and the protections of
 * trails, flow logs, log groups, keys and enclave networks, split to fit the
 * 5,120-character SCP limit.
 */
export class OrganizationGuardrails extends Construct {
  /** The SCP documents, as rendered (partition as a CloudFormation token). */
  public readonly documents: readonly GuardrailPolicy[];
  public readonly policies: readonly organizations.CfnPolicy[];

  constructor(scope: Construct, id: string, props: OrganizationGuardrailsProps) {
    super(scope, id);
    this.documents = guardrailPolicies({ ...props, partition: Stack.of(this).partition });
    const sunsetTags = props.interim.map((exemption) => ({
      key: `clover:interim-sunset:${exemption.enclave}`,
      value: exemption.sunset,
    }));
    this.policies = this.documents.map(
      (policy) =>
        new organizations.CfnPolicy(this, policy.name, {
          name: policy.name,
          type: 'SERVICE_CONTROL_POLICY',
          description: policy.description,
          content: policy.document,
          targetIds: props.targetIds && props.targetIds.length > 0 ? [...props.targetIds] : undefined,
          tags: policy.purpose === 'region' ? sunsetTags : undefined,
        }),
    );
  }
}
