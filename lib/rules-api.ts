/**
 * What a rule of your own needs (docs/extending.md): the `CloverRule` type,
 * the template index it queries, value helpers, and `judge()` to test a rule
 * on a small template the way `clover audit` and the synth gate run it.
 * Installed from the tarball it is `clover-enclave/rules`. Imports no CDK.
 */
import { evaluateStack, Finding } from './audit/engine';
import { CloverRule } from './audit/rule';
import { CfnTemplate, TemplateIndex } from './audit/template';
import { DEFAULT_ALLOWED_JURISDICTIONS } from './config/regions';

export type { CloverRule, RuleDescriptor, RuleFamily, RuleOutcome, RuleTarget, Severity } from './audit/rule';
export { COMPLIANT, NOT_APPLICABLE, violations } from './audit/rule';
export type { CfnTemplate, IndexedResource, StackContext, TemplateIndex } from './audit/template';
export type { Finding } from './audit/engine';
export {
  asArray,
  getAttAttribute,
  isFalse,
  isObject,
  isTrue,
  literalString,
  referencedLogicalId,
  valueAt,
} from './audit/values';

/** Where the template under test deploys. */
export interface JudgeOptions {
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** @default '111111111111' */
  readonly account?: string;
  /** @default 'Test' */
  readonly stackName?: string;
  /** Date for sunsets and expiries (`YYYY-MM-DD`). @default '2026-01-01' */
  readonly today?: string;
}

/**
 * The findings of `rules` on one template, from the same engine as the synth
 * gate and `clover audit` (every branch of its conditions judged). For tests
 * of your rules: `expect(judge(template, [MyRule])).toEqual([])`.
 */
export function judge(
  template: CfnTemplate,
  rules: readonly CloverRule[],
  options: JudgeOptions = {},
): Finding[] {
  const index = new TemplateIndex(template, {
    stackName: options.stackName ?? 'Test',
    region: options.region ?? 'eu-west-1',
    account: options.account ?? '111111111111',
    allowJurisdictions: DEFAULT_ALLOWED_JURISDICTIONS,
    today: options.today ?? '2026-01-01',
  });
  return evaluateStack(index, rules).findings;
}
