import type { IndexedResource, TemplateIndex } from './template';

/** The rule families; the ID of every rule is `CLV-<family>-<n>`. */
export type RuleFamily = 'RES' | 'ENC' | 'NET' | 'ACC' | 'LOG' | 'LIM' | 'RUN';

export const RULE_FAMILIES: Record<RuleFamily, string> = {
  RES: 'Residency',
  ENC: 'Encryption',
  NET: 'Network and gateways',
  ACC: 'Access',
  LOG: 'Logging and monitoring',
  LIM: 'Service limits',
  RUN: 'Runtime flows',
};

export type Severity = 'error' | 'warning';

/** The rule does not look at this resource (wrong type, or nothing to judge). */
export const NOT_APPLICABLE = 'not-applicable' as const;
/** The rule looked and found nothing wrong. */
export const COMPLIANT = 'compliant' as const;

/**
 * A rule's answer for one resource: not applicable, compliant, or the list
 * of violations found (each a sentence naming the offending value).
 */
export type RuleOutcome = typeof NOT_APPLICABLE | typeof COMPLIANT | readonly string[];

export interface RuleTarget {
  readonly resource: IndexedResource;
  readonly index: TemplateIndex;
}

/** What every rule says about itself: the catalogue (docs/rules.md) and the reports are built from it. */
export interface RuleDescriptor {
  /** Bare rule ID, e.g. `CLV-RES-1`. */
  readonly id: string;
  readonly family: RuleFamily;
  readonly severity: Severity;
  /** One line: what is wrong when the rule fires. */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  /** How to fix a finding. */
  readonly fix: string;
}

/**
 * A rule of the runtime flow proof (`CLV-RUN`): judged over a whole cloud
 * assembly or set of templates at once by `proveRuntimeFlows`
 * (lib/audit/runtime), not resource by resource.
 */
export interface RuntimeFlowRule extends RuleDescriptor {
  readonly family: 'RUN';
  /** Which flows the rule judges, for the catalogue. */
  readonly judges: string;
}

/** A rule judged resource by resource over one stack's template index. */
export interface CloverRule extends RuleDescriptor {
  /**
   * Resource types the rule looks at; the engine skips others.
   * @default every type
   */
  readonly resourceTypes?: readonly string[];
  /**
   * Other resource types the rule reads to judge its own (route table
   * associations for the route proof, subscription filters for log shipping):
   * they count as judged, since a change to them changes the rule's findings.
   */
  readonly reads?: readonly string[];
  /**
   * What the rule judges of each type it looks at (type → property or
   * condition), for the coverage catalogue (docs/coverage.md).
   */
  readonly coverage?: Readonly<Record<string, string>>;
  /**
   * `stack`: evaluated once per stack, reported on the stack's first resource.
   * @default 'resource'
   */
  readonly scope?: 'resource' | 'stack';
  evaluate(target: RuleTarget): RuleOutcome;
}

/** Builds an outcome from a list of violations: compliant when empty. */
export function violations(found: readonly string[]): RuleOutcome {
  return found.length === 0 ? COMPLIANT : found;
}

/** Residency findings can never be acknowledged. */
export function isWaivable(ruleId: string): boolean {
  return !ruleId.startsWith('CLV-RES-');
}

/** The ID pattern of a rule of your own: letters, digits and dashes, e.g. `ACME-TAG-1`. */
const USER_RULE_ID = /^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$/;

/**
 * What is wrong with a value offered as a rule of your own (an empty list when it is a
 * valid {@link CloverRule}); each line names the field and the fix. `CLV-` IDs belong to CloverChecks.
 */
export function userRuleProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['is not an object; export a CloverRule'];
  const rule = value as Partial<Record<keyof CloverRule, unknown>>;
  const problems: string[] = [];
  const text = (key: keyof CloverRule, what: string) => {
    if (typeof rule[key] !== 'string' || (rule[key] as string).trim() === '')
      problems.push(`${key} is ${JSON.stringify(rule[key]) ?? 'missing'}; give ${what}`);
  };
  if (typeof rule.id !== 'string' || !USER_RULE_ID.test(rule.id))
    problems.push(
      `id ${JSON.stringify(rule.id) ?? 'is missing'}: give an ID of letters, digits and dashes such as ACME-TAG-1`,
    );
  else if (rule.id.toUpperCase().startsWith('CLV-'))
    problems.push(`id "${rule.id}": CLV- IDs belong to CloverChecks; use a prefix of your own such as ACME-`);
  const families = Object.keys(RULE_FAMILIES).filter((family) => family !== 'RUN');
  if (!families.includes(rule.family as string))
    problems.push(`family ${JSON.stringify(rule.family) ?? 'is missing'}: use one of ${families.join(', ')}`);
  if (rule.severity !== 'error' && rule.severity !== 'warning')
    problems.push(`severity ${JSON.stringify(rule.severity) ?? 'is missing'}: use "error" or "warning"`);
  text('info', 'one line saying what is wrong when the rule fires');
  text('explanation', 'why the rule exists');
  text('fix', 'how to fix a finding');
  if (typeof rule.evaluate !== 'function')
    problems.push(
      'evaluate is not a function; give evaluate({ resource, index }) returning "compliant", "not-applicable" or messages',
    );
  for (const key of ['resourceTypes', 'reads'] as const) {
    const types = rule[key];
    if (types !== undefined && (!Array.isArray(types) || !types.every((type) => typeof type === 'string')))
      problems.push(`${key} must be a list of resource types such as ["AWS::S3::Bucket"]`);
  }
  if (rule.scope !== undefined && rule.scope !== 'resource' && rule.scope !== 'stack')
    problems.push(`scope ${JSON.stringify(rule.scope)}: use "resource" or "stack"`);
  return problems;
}
