import { covers, isExpired, RecordedAcknowledgment } from './acknowledgments';
import { CloverRule, COMPLIANT, NOT_APPLICABLE, RuleOutcome, Severity } from './rule';
import { IndexedResource, TemplateIndex } from './template';

/** One finding, in the form every Clover report uses. */
export interface Finding {
  /** Bare rule ID (`CLV-NET-3`, `AwsSolutions-S1`). */
  readonly rule: string;
  readonly severity: Severity;
  readonly stack: string;
  /** CloudFormation logical ID. */
  readonly resource: string;
  /** Construct path when known. */
  readonly path?: string;
  readonly message: string;
}

export interface AcknowledgedFinding {
  readonly finding: Finding;
  readonly acknowledgment: RecordedAcknowledgment;
}

export interface StackEvaluation {
  readonly findings: Finding[];
  readonly acknowledged: AcknowledgedFinding[];
}

export interface EvaluateOptions {
  /** Construct path of a logical ID, when known (for acknowledgments and reports). */
  readonly pathOf?: (logicalId: string) => string | undefined;
  /** Acknowledgments recorded in this stack. */
  readonly acknowledgments?: readonly RecordedAcknowledgment[];
}

/** The resource that stack-scoped findings are reported on: the first real resource. */
export function anchorResource(index: TemplateIndex): IndexedResource | undefined {
  for (const resource of index.all()) if (resource.type !== 'AWS::CDK::Metadata') return resource;
  return undefined;
}

/** Runs one rule on one resource; a rule that throws is reported, never skipped (fail closed). */
export function runRule(rule: CloverRule, resource: IndexedResource, index: TemplateIndex): RuleOutcome {
  if (rule.resourceTypes && !rule.resourceTypes.includes(resource.type)) return NOT_APPLICABLE;
  if (rule.scope === 'stack' && anchorResource(index) !== resource) return NOT_APPLICABLE;
  try {
    return rule.evaluate({ resource, index });
  } catch (error) {
    return [`rule could not evaluate this resource (${(error as Error).message}); review it by hand`];
  }
}

/**
 * Evaluates rules over one stack's index. Waivable findings covered by a
 * valid acknowledgment move to `acknowledged`; an expired acknowledgment
 * suppresses nothing (report it with {@link expiredAcknowledgmentFindings}).
 */
export function evaluateStack(
  index: TemplateIndex,
  rules: readonly CloverRule[],
  options: EvaluateOptions = {},
): StackEvaluation {
  const findings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  const acks = options.acknowledgments ?? [];
  for (const resource of index.all()) {
    const path = options.pathOf?.(resource.logicalId);
    for (const rule of rules) {
      const outcome = runRule(rule, resource, index);
      if (outcome === NOT_APPLICABLE || outcome === COMPLIANT) continue;
      for (const message of outcome) {
        const finding: Finding = {
          rule: rule.id,
          severity: rule.severity,
          stack: index.context.stackName,
          resource: resource.logicalId,
          path,
          message,
        };
        const ack = findAcknowledgment(acks, rule.id, path, index.context.today);
        if (ack) acknowledged.push({ finding, acknowledgment: ack });
        else findings.push(finding);
      }
    }
  }
  return { findings, acknowledged };
}

/** A valid (waivable, unexpired) acknowledgment of `ruleId` covering `path`. */
export function findAcknowledgment(
  acks: readonly RecordedAcknowledgment[],
  ruleId: string,
  path: string | undefined,
  today: string,
): RecordedAcknowledgment | undefined {
  if (ruleId.startsWith('CLV-RES-')) return undefined;
  return acks.find((ack) => ack.rule === ruleId && covers(ack, path) && !isExpired(ack, today));
}

/** One error per expired or residency acknowledgment: both fail the gate. */
export function expiredAcknowledgmentFindings(
  acks: readonly RecordedAcknowledgment[],
  stack: string,
  today: string,
): Finding[] {
  const out: Finding[] = [];
  for (const ack of acks) {
    if (ack.rule.startsWith('CLV-RES-')) {
      out.push({
        rule: ack.rule,
        severity: 'error',
        stack,
        resource: '',
        path: ack.path,
        message: `acknowledgment of residency rule ${ack.rule} is not allowed: residency findings can never be waived`,
      });
    } else if (isExpired(ack, today)) {
      out.push({
        rule: ack.rule,
        severity: 'error',
        stack,
        resource: '',
        path: ack.path,
        message: `acknowledgment of ${ack.rule} expired on ${ack.expires} (today is ${today}); fix the finding or renew the acknowledgment with a new reason. Reason was: ${ack.reason}`,
      });
    }
  }
  return out;
}
