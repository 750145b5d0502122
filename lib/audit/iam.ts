/**
 * Typed helpers over IAM policy documents as they appear in templates:
 * `Statement` as an object or a list, principals in every shape IAM accepts,
 * actions and conditions as strings or lists, and strings built with
 * `Fn::Join`/`Fn::Sub`. Pure functions; nothing here reads a whole template.
 */
import { findRegion } from '../config/regions';
import { asArray, getAttAttribute, isObject, referencedLogicalId } from './values';
import type { TemplateIndex } from './template';

export type PolicyEffect = 'Allow' | 'Deny';

/** One statement of a policy document, with IAM's keys under stable names. */
export interface PolicyStatement {
  /** Position in the document's `Statement` list (0 for a single statement object). */
  readonly position: number;
  readonly sid?: string;
  /** Undefined when `Effect` is missing or not a literal `Allow`/`Deny`. */
  readonly effect?: PolicyEffect;
  readonly principal?: unknown;
  readonly notPrincipal?: unknown;
  readonly action?: unknown;
  readonly notAction?: unknown;
  readonly resource?: unknown;
  readonly notResource?: unknown;
  readonly condition?: Record<string, unknown>;
}

/**
 * A policy document from a template property: an object, or a JSON string
 * (some resource types take the document as text, possibly built with
 * `Fn::Join`/`Fn::Sub`; references inside it render as `${LogicalId}`).
 * Undefined when the value is no document at all.
 */
export function policyDocument(
  value: unknown,
  context: RenderContext = {},
): Record<string, unknown> | undefined {
  if (isObject(value) && ('Statement' in value || 'Version' in value)) return value;
  const text = typeof value === 'string' ? value : renderString(value, context);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The statements of a policy document (`Statement` as an object or a list). */
export function statements(doc: unknown): PolicyStatement[] {
  if (!isObject(doc)) return [];
  return asArray(doc.Statement).flatMap((raw, position) =>
    isObject(raw) ? [toStatement(raw, position)] : [],
  );
}

/** A single statement object (as `AWS::Events::EventBusPolicy.Statement` holds one) in typed form. */
export function toStatement(raw: Record<string, unknown>, position = 0): PolicyStatement {
  const effect = raw.Effect === 'Allow' || raw.Effect === 'Deny' ? raw.Effect : undefined;
  return {
    position,
    sid: typeof raw.Sid === 'string' ? raw.Sid : undefined,
    effect,
    principal: raw.Principal,
    notPrincipal: raw.NotPrincipal,
    action: raw.Action,
    notAction: raw.NotAction,
    resource: raw.Resource,
    notResource: raw.NotResource,
    condition: isObject(raw.Condition) ? raw.Condition : undefined,
  };
}

/** `statement 2 ("DenyInsecure")`, for messages. */
export function describeStatement(statement: PolicyStatement): string {
  return `statement ${statement.position}${statement.sid ? ` ("${statement.sid}")` : ''}`;
}

// ---------------------------------------------------------------- principals

export type PrincipalKind = 'wildcard' | 'aws' | 'service' | 'federated' | 'canonical-user' | 'unknown';

/** One principal named in a `Principal` block. */
export interface PrincipalEntry {
  readonly kind: PrincipalKind;
  /** The value as written (a string, or an intrinsic that builds one). */
  readonly value: unknown;
}

const PRINCIPAL_KEYS: Record<string, PrincipalKind> = {
  AWS: 'aws',
  Service: 'service',
  Federated: 'federated',
  CanonicalUser: 'canonical-user',
};

/**
 * Every principal of a `Principal` (or `NotPrincipal`) block: `"*"`,
 * `{AWS: "*"}`, `{AWS: [...]}`, `{Service: ...}`, `{Federated: ...}`,
 * `{CanonicalUser: ...}`. `"*"` anywhere counts as the wildcard.
 */
export function principalEntries(principal: unknown): PrincipalEntry[] {
  if (principal === undefined || principal === null) return [];
  if (principal === '*') return [{ kind: 'wildcard', value: '*' }];
  if (!isObject(principal) || referencedLogicalId(principal) !== undefined || isIntrinsic(principal)) {
    return [{ kind: 'unknown', value: principal }];
  }
  const entries: PrincipalEntry[] = [];
  for (const [key, value] of Object.entries(principal)) {
    const kind = PRINCIPAL_KEYS[key] ?? 'unknown';
    for (const item of isIntrinsic(value) ? [value] : asArray(value)) {
      entries.push({ kind: item === '*' && kind === 'aws' ? 'wildcard' : kind, value: item });
    }
  }
  return entries;
}

/** True when the block names every principal: `"*"`, `{AWS: "*"}` or `"*"` inside an `AWS` list. */
export function isWildcardPrincipal(principal: unknown): boolean {
  return principalEntries(principal).some((entry) => entry.kind === 'wildcard');
}

/**
 * True when the statement applies to every principal: a wildcard `Principal`,
 * or any `NotPrincipal` (in an `Allow`, `NotPrincipal` grants everyone else).
 */
export function appliesToEveryone(statement: PolicyStatement): boolean {
  return isWildcardPrincipal(statement.principal) || statement.notPrincipal !== undefined;
}

// ------------------------------------------------------------------- actions

/** The literal action patterns of an `Action`/`NotAction` value (intrinsics are skipped). */
export function actionList(actions: unknown): string[] {
  return asArray(actions).filter((action): action is string => typeof action === 'string');
}

/** True when any pattern (`*`, `ec2:*`, `ec2:Create*`, `s3:Get?bject`) matches the action; case-insensitive. */
export function actionsMatch(actions: unknown, action: string): boolean {
  return actionList(actions).some((pattern) => wildcardMatch(pattern, action, true));
}

/** True when the statement's `Action` matches the action, or its `NotAction` does not. */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.action !== undefined) return actionsMatch(statement.action, action);
  if (statement.notAction !== undefined) return !actionsMatch(statement.notAction, action);
  return false;
}

/**
 * True when the statement covers every action of a service (`s3`): an
 * `Action` of `*`, `s3:*` (or `s*`), or a `NotAction` naming nothing of the service.
 */
export function statementCoversService(statement: PolicyStatement, service: string): boolean {
  const prefix = `${service.toLowerCase()}:`;
  const coversAll = (pattern: string): boolean => {
    const lower = pattern.toLowerCase();
    if (!lower.endsWith('*')) return false;
    const head = lower.slice(0, -1);
    return !head.includes('*') && !head.includes('?') && prefix.startsWith(head);
  };
  if (statement.action !== undefined) return actionList(statement.action).some(coversAll);
  if (statement.notAction !== undefined) {
    return actionList(statement.notAction).every((pattern) => {
      const lower = pattern.toLowerCase();
      return !lower.startsWith(prefix) && !prefix.startsWith(lower.split('*')[0].split('?')[0]);
    });
  }
  return false;
}

/**
 * IAM wildcard matching: `*` matches any run of characters (also none), `?`
 * exactly one. Iterative with one backtrack point, so linear in practice.
 */
export function wildcardMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const t = ignoreCase ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

// ---------------------------------------------------------------- conditions

/** One `operator → key → values` entry of a `Condition` block. */
export interface ConditionEntry {
  /** As written: `StringEquals`, `ForAnyValue:StringLike`, `BoolIfExists`, … */
  readonly operator: string;
  readonly key: string;
  readonly values: unknown[];
}

/** The parts of a condition operator: set qualifier, base operator and `IfExists`. */
export interface ParsedOperator {
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  /** Base operator without qualifier or `IfExists`: `StringEquals`, `Bool`, `ArnLike`, … */
  readonly base: string;
  readonly ifExists: boolean;
}

export function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let set: ParsedOperator['set'];
  for (const qualifier of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.toLowerCase().startsWith(`${qualifier.toLowerCase()}:`)) {
      set = qualifier;
      rest = rest.slice(qualifier.length + 1);
    }
  }
  const ifExists = rest.toLowerCase().endsWith('ifexists') && rest.toLowerCase() !== 'ifexists';
  return { set, base: ifExists ? rest.slice(0, -'IfExists'.length) : rest, ifExists };
}

/** Every condition entry of a statement. */
export function conditionEntries(statement: PolicyStatement): ConditionEntry[] {
  const entries: ConditionEntry[] = [];
  for (const [operator, block] of Object.entries(statement.condition ?? {})) {
    if (!isObject(block)) continue;
    for (const [key, values] of Object.entries(block)) {
      entries.push({ operator, key, values: isIntrinsic(values) ? [values] : asArray(values) });
    }
  }
  return entries;
}

/**
 * Condition entries matching an operator (or one of several) and a key.
 * Operators compare case-insensitively and exactly (`Bool` does not match
 * `BoolIfExists`); keys compare case-insensitively, as IAM does; a key ending
 * in `/` matches every key with that prefix (`aws:RequestTag/`).
 */
export function findConditions(
  statement: PolicyStatement,
  operator: string | readonly string[],
  key: string,
): ConditionEntry[] {
  const operators = asArray(operator).map((op) => String(op).toLowerCase());
  const wanted = key.toLowerCase();
  return conditionEntries(statement).filter((entry) => {
    const entryKey = entry.key.toLowerCase();
    const keyMatches = wanted.endsWith('/') ? entryKey.startsWith(wanted) : entryKey === wanted;
    return keyMatches && operators.includes(entry.operator.toLowerCase());
  });
}

/** True when the statement has a condition with this operator (or one of several) on this key. */
export function hasCondition(
  statement: PolicyStatement,
  operator: string | readonly string[],
  key: string,
): boolean {
  return findConditions(statement, operator, key).length > 0;
}

/** Every value the statement's conditions give a key under the operator(s). */
export function conditionValues(
  statement: PolicyStatement,
  operator: string | readonly string[],
  key: string,
): unknown[] {
  return findConditions(statement, operator, key).flatMap((entry) => entry.values);
}

/** True for `false`, `"false"` (any case) — how `Bool` conditions are written. */
export function isFalseValue(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/** True for `true`, `"true"` (any case). */
export function isTrueValue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

// ------------------------------------------------------- strings and ARNs

/** Values that `Ref` to pseudo parameters, parameters and resources render to. */
export interface RenderContext {
  readonly region?: string;
  readonly account?: string;
  /** @default partition of `region`, else `aws` */
  readonly partition?: string;
  /** @default DNS suffix of `region`'s partition, else `amazonaws.com` */
  readonly urlSuffix?: string;
  /**
   * Text for a reference to a template parameter or resource (`attribute`
   * undefined for `Ref`); return undefined to make the whole value unrenderable.
   * @default `${LogicalId}` or `${LogicalId.Attribute}`
   */
  readonly reference?: (logicalId: string, attribute: string | undefined) => string | undefined;
}

/** A render context for a stack: its region and account, and parameter defaults where literal. */
export function renderContextOf(index: TemplateIndex): RenderContext {
  return {
    region: index.context.region,
    account: index.context.account,
    reference: (logicalId, attribute) => {
      const fallback = `\${${attribute ? `${logicalId}.${attribute}` : logicalId}}`;
      if (attribute !== undefined || index.get(logicalId)) return fallback;
      const defaultValue = index.parameterDefault(logicalId);
      return typeof defaultValue === 'string' ? defaultValue : fallback;
    },
  };
}

const MAX_RENDER_DEPTH = 20;

/**
 * A string value rendered to text: literals as they are, pseudo parameters
 * from the context, `Fn::Join`, `Fn::Sub` and `Fn::Select` of literals, and
 * references through `context.reference`. Undefined for what cannot be
 * rendered (`Fn::If`, `Fn::ImportValue`, lists, …).
 */
export function renderString(value: unknown, context: RenderContext = {}, depth = 0): string | undefined {
  if (depth > MAX_RENDER_DEPTH) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return renderName(value.Ref, undefined, context);
  const target = referencedLogicalId(value);
  if (target !== undefined) return renderName(target, getAttAttribute(value), context);
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part) => renderString(part, context, depth + 1));
    return parts.every((part): part is string => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  const select = value['Fn::Select'];
  if (Array.isArray(select) && Array.isArray(select[1])) {
    const position = Number(select[0]);
    return Number.isInteger(position) ? renderString(select[1][position], context, depth + 1) : undefined;
  }
  if ('Fn::Sub' in value) return renderSub(value['Fn::Sub'], context, depth);
  return undefined;
}

function renderSub(sub: unknown, context: RenderContext, depth: number): string | undefined {
  const template: unknown = Array.isArray(sub) ? sub[0] : sub;
  const locals: Record<string, unknown> = Array.isArray(sub) && isObject(sub[1]) ? sub[1] : {};
  if (typeof template !== 'string') return undefined;
  let out = '';
  let position = 0;
  while (position < template.length) {
    const start = template.indexOf('${', position);
    if (start === -1) break;
    const end = template.indexOf('}', start);
    if (end === -1) break;
    out += template.slice(position, start);
    const name = template.slice(start + 2, end).trim();
    if (name.startsWith('!')) {
      out += `\${${name.slice(1)}}`;
    } else {
      const text =
        name in locals
          ? renderString(locals[name], context, depth + 1)
          : name.includes('.') && !name.startsWith('AWS::')
            ? renderName(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1), context)
            : renderName(name, undefined, context);
      if (text === undefined) return undefined;
      out += text;
    }
    position = end + 1;
  }
  return out + template.slice(position);
}

function renderName(name: string, attribute: string | undefined, context: RenderContext): string | undefined {
  const region = context.region ? findRegion(context.region) : undefined;
  switch (name) {
    case 'AWS::Region':
      return context.region ?? '${AWS::Region}';
    case 'AWS::AccountId':
      return context.account ?? '${AWS::AccountId}';
    case 'AWS::Partition':
      return context.partition ?? region?.partition ?? 'aws';
    case 'AWS::URLSuffix':
      return context.urlSuffix ?? region?.dnsSuffix ?? 'amazonaws.com';
    case 'AWS::StackName':
    case 'AWS::StackId':
    case 'AWS::NoValue':
    case 'AWS::NotificationARNs':
      return `\${${name}}`;
  }
  if (context.reference) return context.reference(name, attribute);
  return `\${${attribute ? `${name}.${attribute}` : name}}`;
}

/** The parts of an ARN; undefined for text that is not an ARN. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the account: `key/1234…`, `alias/aws/s3`, `role/Admin`, `my-bucket/*`. */
  readonly resource: string;
}

export function parseArn(text: string): ParsedArn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(':'),
  };
}

/** A short, readable form of any template value, for messages and reports. */
export function describeValue(value: unknown, context: RenderContext = {}): string {
  const text = renderString(value, context);
  if (text !== undefined) return text;
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 100 ? `${json.slice(0, 97)}...` : json;
}

function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}
