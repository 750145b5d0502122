import { evaluateStack, Finding } from '../../lib/audit/engine';
import { linkStacks } from '../../lib/audit/links';
import { CfnTemplate, TemplateIndex } from '../../lib/audit/template';
import { ALL_RULES } from '../../lib/nag/rules';

export interface PureRuleOptions {
  /** @default 'eu-west-1' */
  readonly region?: string;
  /** @default '111111111111' */
  readonly account?: string;
  readonly auditLogRetentionDays?: number;
  /** @default 'Fixture' */
  readonly stackName?: string;
}

/** A template index as `clover audit` builds it, without cdk-nag or an app (rules are pure functions over it). */
export function templateIndex(template: CfnTemplate, options: PureRuleOptions = {}): TemplateIndex {
  return new TemplateIndex(template, {
    stackName: options.stackName ?? 'Fixture',
    account: 'account' in options ? options.account : '111111111111',
    region: options.region ?? 'eu-west-1',
    allowJurisdictions: ['EU', 'EEA'],
    today: '2026-11-23',
    auditLogRetentionDays: options.auditLogRetentionDays,
  });
}

/** Every CloverChecks finding of one template (every branch judged). */
export function findingsOf(template: CfnTemplate, options: PureRuleOptions = {}): Finding[] {
  return evaluateStack(templateIndex(template, options), ALL_RULES).findings;
}

/** `Resource: message` of one rule's findings. */
export function messagesOf(rule: string, template: CfnTemplate, options: PureRuleOptions = {}): string[] {
  return findingsOf(template, options)
    .filter((finding) => finding.rule === rule)
    .map((finding) => `${finding.resource}: ${finding.message}`);
}

/** Findings of several templates audited together (linked, as one cdk.out or several inputs). */
export function findingsOfStacks(
  stacks: ReadonlyArray<{ readonly template: CfnTemplate; readonly options?: PureRuleOptions }>,
): Finding[] {
  const indexes = stacks.map(({ template, options }, i) =>
    templateIndex(template, { stackName: `Stack${i + 1}`, ...options }),
  );
  linkStacks(indexes);
  return indexes.flatMap((index) => evaluateStack(index, ALL_RULES).findings);
}

/** A resource of a template, for one-resource fixtures. */
export function resource(type: string, properties: Record<string, unknown> = {}) {
  return { Type: type, Properties: properties };
}

/** An EU customer-managed key with rotation on, for compliant fixtures. */
export const ENCLAVE_KEY = resource('AWS::KMS::Key', {
  EnableKeyRotation: true,
  KeyPolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  },
});

/**
 * Sets a value at a dotted path (`[]` steps create a one-item list), creating
 * the objects on the way; returns the object for chaining.
 */
export function setAt(
  target: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const steps = path.split('.');
  let current: Record<string, unknown> = target;
  steps.forEach((step, i) => {
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    const last = i === steps.length - 1;
    if (list) {
      const items = (Array.isArray(current[key]) ? current[key] : (current[key] = [{}])) as unknown[];
      if (last) items[0] = value;
      else current = (items[0] ??= {}) as Record<string, unknown>;
    } else if (last) {
      current[key] = value;
    } else {
      current = (current[key] ??= {}) as Record<string, unknown>;
    }
  });
  return target;
}

/** Removes the value at a dotted path (`[]` steps go into the first item). */
export function deleteAt(target: Record<string, unknown>, path: string): void {
  const steps = path.split('.');
  let current: unknown = target;
  for (const [i, step] of steps.entries()) {
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    if (typeof current !== 'object' || current === null) return;
    const record = current as Record<string, unknown>;
    if (i === steps.length - 1) {
      delete record[key];
      return;
    }
    current = list ? (record[key] as unknown[] | undefined)?.[0] : record[key];
  }
}
