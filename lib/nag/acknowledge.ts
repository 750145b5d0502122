import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  Acknowledgment,
  acknowledgmentProblems,
  ACKNOWLEDGMENT_METADATA_TYPE,
  isCfnLintRule,
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
  const cdkId = cdkAcknowledgmentId(ack.rule);
  if (cdkId !== undefined) {
    Validations.of(scope).acknowledge({ id: cdkId, reason: `${ack.reason} (expires ${ack.expires})` });
  }
}

/**
 * How CDK's own acknowledgments name a rule of another synth-time plugin:
 * cdk-nag packs read the bare ID; the CloudFormation Validate plugin's rules
 * are namespaced by plugin name. CloverChecks and the Control Tower rules
 * (run by `clover audit --with control-tower`) read Clover's metadata only.
 */
function cdkAcknowledgmentId(rule: string): string | undefined {
  if (rule.startsWith('CLV-') || rule.startsWith('CT.')) return undefined;
  if (isCfnLintRule(rule)) return `CloudFormation-Validate::${rule}`;
  return rule;
}
