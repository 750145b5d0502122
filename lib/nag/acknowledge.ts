import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  Acknowledgment,
  acknowledgmentProblems,
  ACKNOWLEDGMENT_METADATA_TYPE,
  designDecisionProblems,
  DesignDecisionRecord,
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
 *
 * Clover's own deviations are not acknowledgments: they are design decisions, kept in one register
 * (lib/stacks/design-decisions.ts) and recorded with `recordDesignDecision`.
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
 * Records one of Clover's design decisions on a construct and everything below it: like an
 * acknowledgment, without a last day (the register, not a date, decides how long it holds). Called
 * only by the register's aspect; constructs mark where a decision applies with `designDecision`.
 */
export function recordDesignDecision(scope: IConstruct, record: DesignDecisionRecord): void {
  const problems = designDecisionProblems(record);
  if (problems.length > 0) {
    throw new Error(
      `Invalid Clover design decision at ${scope.node.path || '(app)'}: ${problems.join('; ')}`,
    );
  }
  scope.node.addMetadata(ACKNOWLEDGMENT_METADATA_TYPE, {
    rule: record.rule,
    reason: record.reason,
    decision: record.decision,
  });
  const cdkId = cdkAcknowledgmentId(record.rule);
  if (cdkId !== undefined) {
    Validations.of(scope).acknowledge({
      id: cdkId,
      reason: `${record.reason} (Clover design decision ${record.decision})`,
    });
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
