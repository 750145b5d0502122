import { isExpired, RecordedAcknowledgment } from './acknowledgments';
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
  for (const { rule, resource, message } of branchFindings(index, rules)) {
    const path = options.pathOf?.(resource);
    const finding: Finding = {
      rule: rule.id,
      severity: rule.severity,
      stack: index.context.stackName,
      resource,
      path,
      message,
    };
    const ack = findAcknowledgment(acks, rule.id, path, index.context.today);
    if (ack) acknowledged.push({ finding, acknowledgment: ack });
    else findings.push(finding);
  }
  return { findings, acknowledged };
}

interface RawFinding {
  readonly rule: CloverRule;
  readonly resource: string;
  readonly message: string;
}

function findingsOfView(view: TemplateIndex, rules: readonly CloverRule[]): RawFinding[] {
  const found: RawFinding[] = [];
  for (const resource of view.all()) {
    for (const rule of rules) {
      const outcome = runRule(rule, resource, view);
      if (outcome === NOT_APPLICABLE || outcome === COMPLIANT) continue;
      for (const message of outcome) found.push({ rule, resource: resource.logicalId, message });
    }
  }
  return found;
}

/**
 * Findings over every branch of the template (parameter defaults and each
 * other value its conditions tell apart). A finding of every branch is
 * reported once as it is; one that only some branches have names them: the
 * condition and side of each `Fn::If` that decided the resource, and the
 * parameter value that leads there.
 */
function branchFindings(index: TemplateIndex, rules: readonly CloverRule[]): RawFinding[] {
  const views = index.branchViews();
  if (views.length === 1) return findingsOfView(index, rules);
  const byKey = new Map<string, { finding: RawFinding; views: TemplateIndex[] }>();
  for (const view of views) {
    for (const finding of findingsOfView(view, rules)) {
      const key = `${finding.rule.id}\u0000${finding.resource}\u0000${finding.message}`;
      const entry = byKey.get(key) ?? { finding, views: [] };
      entry.views.push(view);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].map(({ finding, views: where }) =>
    where.length === views.length
      ? finding
      : {
          ...finding,
          message: `${finding.message} [${where.map((view) => branchLabel(view, finding.resource)).join('; or ')}]`,
        },
  );
}

/** `when condition HasKey is false (parameter KmsKeyArn = "")`: how one branch decided one resource. */
export function branchLabel(view: TemplateIndex, logicalId: string): string {
  const decided = [...(view.get(logicalId)?.branches ?? new Map<string, boolean>())]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([condition, value]) => `condition ${condition} is ${value ? 'true' : 'false'}`);
  const how = view.branch.isDefault ? 'parameter defaults' : view.branch.changes.join(', ');
  return decided.length ? `when ${decided.join(' and ')} (${how})` : `with ${how}`;
}

/** A valid (waivable, unexpired) acknowledgment of `ruleId` covering `path`. */
export function findAcknowledgment(
  acks: readonly RecordedAcknowledgment[],
  ruleId: string,
  path: string | undefined,
  today: string,
): RecordedAcknowledgment | undefined {
  if (ruleId.startsWith('CLV-RES-') || path === undefined) return undefined;
  // The first acknowledgment in list order that covers the path: the index finds the candidates by rule
  // and by each ancestor of the path, instead of trying every acknowledgment of the app on every finding.
  let found: { position: number; ack: RecordedAcknowledgment } | undefined;
  const byPath = acknowledgmentIndex(acks).get(ruleId);
  if (!byPath) return undefined;
  const target = path.replace(/^\/+/, '');
  for (let end = target.length; end > 0; end = target.lastIndexOf('/', end - 1)) {
    for (const candidate of byPath.get(target.slice(0, end)) ?? []) {
      if (found && found.position < candidate.position) break;
      // Every candidate covers the path: its path is the path or one of its ancestors.
      if (!isExpired(candidate.ack, today)) {
        found = candidate;
        break;
      }
    }
  }
  return found?.ack;
}

type AcknowledgmentIndex = Map<string, Map<string, Array<{ position: number; ack: RecordedAcknowledgment }>>>;
const acknowledgmentIndexes = new WeakMap<
  readonly RecordedAcknowledgment[],
  { readonly length: number; readonly index: AcknowledgmentIndex }
>();

/** Acknowledgments by rule, then by path, each list in the order given. Built once per list. */
function acknowledgmentIndex(acks: readonly RecordedAcknowledgment[]): AcknowledgmentIndex {
  const known = acknowledgmentIndexes.get(acks);
  // A list that grew since (nothing in Clover appends to one, but a caller could) is indexed again.
  if (known && known.length === acks.length) return known.index;
  const index: AcknowledgmentIndex = new Map();
  acks.forEach((ack, position) => {
    const byPath = index.get(ack.rule) ?? new Map();
    index.set(ack.rule, byPath);
    const base = ack.path.replace(/^\/+/, '');
    const list = byPath.get(base) ?? [];
    list.push({ position, ack });
    byPath.set(base, list);
  });
  acknowledgmentIndexes.set(acks, { length: acks.length, index });
  return index;
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
