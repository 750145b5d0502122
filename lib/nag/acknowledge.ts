import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  Acknowledgment,
  acknowledgmentProblems,
  ACKNOWLEDGMENT_METADATA_TYPE,
} from '../audit/acknowledgments';

/**
 * Clover's acknowledgment: waives one rule on a construct and everything below
 * it, with a reason and a last valid day. Recorded as construct metadata, so it
 * reaches cdk.out where `clover audit` lists it.
 *
 * - Residency rules (`CLV-RES-*`) can never be acknowledged: the call throws.
 * - After `expires`, the acknowledgment waives nothing and fails synth.
 * - Other packs' rules (AwsSolutions) are also handed to CDK's
 *   `Validations.acknowledge`, which those packs read.
 */
export function acknowledge(scope: IConstruct, ack: Acknowledgment): void {
  const problems = acknowledgmentProblems(ack);
  if (problems.length > 0) {
    throw new Error(`Invalid Clover acknowledgment at ${scope.node.path || '(app)'}: ${problems.join('; ')}`);
  }
  scope.node.addMetadata(ACKNOWLEDGMENT_METADATA_TYPE, {
    rule: ack.rule,
    reason: ack.reason,
    expires: ack.expires,
  });
  if (!ack.rule.startsWith('CLV-')) {
    Validations.of(scope).acknowledge({ id: ack.rule, reason: `${ack.reason} (expires ${ack.expires})` });
  }
}
