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

/** An acknowledgment as recorded on a construct path. */
export interface RecordedAcknowledgment extends Acknowledgment {
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
  if (!isCalendarDate(ack.expires)) {
    problems.push(`expires ${JSON.stringify(ack.expires)} is not a date; write it as YYYY-MM-DD`);
  }
  return problems;
}

export function isExpired(ack: Acknowledgment, today: string): boolean {
  return isPast(ack.expires, today);
}

/** True when `resourcePath` is the acknowledged path or below it. */
export function covers(ack: RecordedAcknowledgment, resourcePath: string | undefined): boolean {
  if (resourcePath === undefined) return false;
  const base = ack.path.replace(/^\/+/, '');
  const target = resourcePath.replace(/^\/+/, '');
  return target === base || target.startsWith(`${base}/`);
}
