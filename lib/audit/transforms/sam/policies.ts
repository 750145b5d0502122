/**
 * The execution role SAM creates for a function or state machine from its
 * `Policies`: AWS managed policy names become ARNs, policy documents become
 * inline policies, and SAM policy templates (`S3ReadPolicy: { BucketName }`)
 * become the statements AWS SAM defines for them
 * (policy-templates.json, generated from the SAM translator). Pure.
 */
import { isObject } from '../../values';
import { TemplateTransformError } from '../types';
import { Json, SamExpansion, SamResource } from './model';
import TEMPLATES from './policy-templates.json';

interface PolicyTemplate {
  readonly parameters: readonly string[];
  readonly statements: readonly unknown[];
}

const POLICY_TEMPLATES = TEMPLATES.templates as unknown as Readonly<Record<string, PolicyTemplate>>;

/** Names of every SAM policy template this build knows. */
export const POLICY_TEMPLATE_NAMES: readonly string[] = Object.keys(POLICY_TEMPLATES);

/** The role SAM generates, collected while the resource and its events are expanded, then written once. */
export class RoleBuilder {
  public readonly managedPolicyArns: unknown[] = [];
  public readonly policies: unknown[] = [];

  constructor(
    public readonly logicalId: string,
    private readonly from: SamResource,
    private readonly expansion: SamExpansion,
  ) {}

  public addManaged(arn: unknown): void {
    const key = JSON.stringify(arn);
    if (!this.managedPolicyArns.some((existing) => JSON.stringify(existing) === key))
      this.managedPolicyArns.push(arn);
  }

  public addInline(policy: unknown): void {
    this.policies.push(policy);
  }

  /** Adds every entry of a SAM `Policies` property. */
  public addPolicies(policies: unknown): void {
    const entries =
      policies === undefined || policies === null ? [] : Array.isArray(policies) ? policies : [policies];
    entries.forEach((entry, index) => {
      const converted = this.convert(entry, index);
      if (converted?.kind === 'managed') this.addManaged(converted.value);
      else if (converted?.kind === 'inline') this.addInline(converted.value);
    });
  }

  public write(properties: Json, attributes: Json = {}): void {
    this.expansion.add(
      this.logicalId,
      this.expansion.resource(
        'AWS::IAM::Role',
        {
          ...properties,
          ManagedPolicyArns: this.managedPolicyArns.length ? this.managedPolicyArns : undefined,
          Policies: this.policies.length ? this.policies : undefined,
        },
        this.from,
        attributes,
      ),
      this.from,
    );
  }

  private convert(entry: unknown, index: number): { kind: 'managed' | 'inline'; value: unknown } | undefined {
    const policyName = `${this.logicalId}Policy${index}`;
    if (typeof entry === 'string') return { kind: 'managed', value: this.expansion.managedPolicyArn(entry) };
    if (!isObject(entry)) return this.unknown(entry, index);
    const keys = Object.keys(entry);
    if (keys.length === 1 && keys[0] === 'Fn::If' && Array.isArray(entry['Fn::If'])) {
      const [condition, whenTrue, whenFalse] = entry['Fn::If'] as unknown[];
      const sides = [whenTrue, whenFalse].map((side) =>
        isNoValue(side) ? undefined : this.convert(side, index),
      );
      const kind = sides.find((side) => side !== undefined)?.kind;
      if (!kind || sides.some((side) => side !== undefined && side.kind !== kind))
        return this.unknown(entry, index);
      const pick = (side: (typeof sides)[number], original: unknown) => (side ? side.value : original);
      return { kind, value: { 'Fn::If': [condition, pick(sides[0], whenTrue), pick(sides[1], whenFalse)] } };
    }
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')))
      return { kind: 'managed', value: entry };
    if ('Statement' in entry)
      return { kind: 'inline', value: { PolicyName: policyName, PolicyDocument: entry } };
    if (keys.length === 1 && POLICY_TEMPLATES[keys[0]]) {
      return {
        kind: 'inline',
        value: {
          PolicyName: policyName,
          PolicyDocument: { Statement: this.templateStatements(keys[0], entry[keys[0]]) },
        },
      };
    }
    return this.unknown(entry, index);
  }

  private templateStatements(name: string, values: unknown): unknown[] {
    const template = POLICY_TEMPLATES[name];
    const given = isObject(values) ? values : {};
    const missing = template.parameters.filter((parameter) => given[parameter] === undefined);
    if (missing.length > 0) {
      throw new TemplateTransformError(
        `Resources.${this.from.logicalId}.Properties.Policies: policy template ${name} needs ${missing.join(', ')}; give ${name}: { ${template.parameters.map((p) => `${p}: …`).join(', ')} }`,
      );
    }
    return template.statements.map((statement) => fillParameters(statement, given));
  }

  private unknown(entry: unknown, index: number): undefined {
    const text = JSON.stringify(entry);
    this.expansion.note(
      this.from,
      `${this.from.logicalId}: Policies[${index}] (${text.length > 60 ? `${text.slice(0, 57)}...` : text}) is neither a managed policy, a policy document nor a SAM policy template this build knows, so the permissions it grants are not judged`,
    );
    return undefined;
  }
}

function isNoValue(value: unknown): boolean {
  return isObject(value) && value.Ref === 'AWS::NoValue';
}

/** A template statement with every `Ref: <Parameter>` replaced by the value given for it. */
function fillParameters(value: unknown, given: Json): unknown {
  if (Array.isArray(value)) return value.map((item) => fillParameters(item, given));
  if (!isObject(value)) return value;
  if (typeof value.Ref === 'string' && Object.keys(value).length === 1 && value.Ref in given)
    return given[value.Ref];
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, fillParameters(child, given)]));
}
