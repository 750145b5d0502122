import { isCalendarDate, isPast } from '../config/dates';
import { isWaivable } from './rule';

/** Construct metadata type under which Clover records an acknowledgment (reaches cdk.out). */
export const ACKNOWLEDGMENT_METADATA_TYPE = 'clover:acknowledgment';

/** A waiver of one rule on one construct subtree, with a reason and a last valid day. */
export interface Acknowledgment {
  /** Bare rule ID (`CLV-ENC-2`, `AwsSolutions-IAM4`, `AwsSolutions-IAM5[Action::s3:*]`). */
  readonly rule: string;
  readonly reason: string;
  /** Last day (inclusive, `YYYY-MM-DD`) the acknowledgment holds. */
  readonly expires: string;
}

/**
 * One of Clover's own design decisions applied to a construct: a permanent answer to one rule, with its
 * reason, recorded from the register (lib/stacks/design-decisions.ts, docs/acknowledgments.md). It never
 * expires; a change of design changes the register.
 */
export interface DesignDecisionRecord {
  /** Bare rule ID, as for an acknowledgment. */
  readonly rule: string;
  readonly reason: string;
  /** ID of the decision in the register (`ACCESS_LOG_BUCKET`). */
  readonly decision: string;
}

/** An acknowledgment or a design decision as recorded on a construct path. */
export interface RecordedAcknowledgment {
  readonly rule: string;
  readonly reason: string;
  /** Last day (inclusive, `YYYY-MM-DD`) of a user's acknowledgment; absent for a design decision. */
  readonly expires?: string;
  /** ID of the design decision it records; absent for a user's acknowledgment. */
  readonly decision?: string;
  /** Construct path it was recorded on; it covers every resource below. */
  readonly path: string;
}

/** Rule IDs Clover reports: its own, cdk-nag packs', Control Tower controls and cfn-lint (CloudFormation Validate) IDs. */
const RULE_ID_PATTERN =
  /^(CLV-(RES|ENC|NET|ACC|LOG|RUN)-\d+|[A-Za-z][A-Za-z0-9.]*-[A-Za-z0-9]+(\[.+\])?|CT\.[A-Z0-9]+\.PR\.\d+|[EWI]\d{4})$/;

/** True for a cfn-lint rule ID, as the CloudFormation Validate plugin reports it (`W3010`). */
export function isCfnLintRule(rule: string): boolean {
  return /^[EWI]\d{4}$/.test(rule);
}

/** Problems with an acknowledgment as written, before any date check; empty when well-formed. */
export function acknowledgmentProblems(ack: Partial<Acknowledgment>): string[] {
  const problems = ruleAndReasonProblems(ack);
  if (!isCalendarDate(ack.expires)) {
    problems.push(`expires ${JSON.stringify(ack.expires)} is not a date; write it as YYYY-MM-DD`);
  }
  return problems;
}

/** Problems with a design decision's record; empty when well-formed. */
export function designDecisionProblems(record: Partial<DesignDecisionRecord>): string[] {
  const problems = ruleAndReasonProblems(record);
  if (typeof record.decision !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(record.decision)) {
    problems.push(
      `decision ${JSON.stringify(record.decision)} is not a design decision ID; use the ID of the register (ACCESS_LOG_BUCKET)`,
    );
  }
  return problems;
}

function ruleAndReasonProblems(ack: { readonly rule?: unknown; readonly reason?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof ack.rule !== 'string' || !RULE_ID_PATTERN.test(ack.rule)) {
    problems.push(
      `rule ${JSON.stringify(ack.rule)} is not a rule ID; use a bare ID such as CLV-ENC-1, AwsSolutions-IAM4, CT.LAMBDA.PR.3 or W3010`,
    );
  } else if (!isWaivable(ack.rule)) {
    problems.push(
      `rule ${ack.rule} is a residency rule and can never be acknowledged; fix the residency violation instead`,
    );
  }
  if (typeof ack.reason !== 'string' || ack.reason.trim().length < 10) {
    problems.push(
      `reason ${JSON.stringify(ack.reason)} is too short; write why the finding is acceptable (10 characters at least)`,
    );
  }
  return problems;
}

/** True for a user's acknowledgment past its last day; a design decision never expires. */
export function isExpired(ack: Pick<RecordedAcknowledgment, 'expires'>, today: string): boolean {
  return ack.expires !== undefined && isPast(ack.expires, today);
}

/** True when `resourcePath` is the acknowledged path or below it. */
export function covers(ack: RecordedAcknowledgment, resourcePath: string | undefined): boolean {
  if (resourcePath === undefined) return false;
  const base = ack.path.replace(/^\/+/, '');
  const target = resourcePath.replace(/^\/+/, '');
  return target === base || target.startsWith(`${base}/`);
}
