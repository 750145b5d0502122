import type { CfnTemplate } from '../../lib/audit/template';

/**
 * Turns synthesized policy documents into the literal documents AWS would evaluate, for a policy
 * simulator: pseudo parameters, `Fn::Join`, `Ref`/`Fn::GetAtt` of buckets, roles, keys, tables,
 * queues, topics and managed policies, and `Fn::ImportValue` of another stack's exports. Anything
 * else throws, so a test never simulates a half-resolved policy.
 */
export class PolicyResolver {
  private readonly exports = new Map<string, { template: CfnTemplate; value: unknown }>();

  constructor(
    private readonly env: { readonly account: string; readonly region: string; readonly partition: string },
    templates: readonly CfnTemplate[],
  ) {
    for (const template of templates) {
      for (const output of Object.values(template.Outputs ?? {}) as Array<{
        Value: unknown;
        Export?: { Name: string };
      }>) {
        if (output.Export) this.exports.set(output.Export.Name, { template, value: output.Value });
      }
    }
  }

  public resolve(value: unknown, template: CfnTemplate): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item, template));
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && keys[0] === 'Ref') return this.ref(object.Ref as string, template);
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      return this.getAtt(id, attribute, template);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [delimiter, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => this.resolve(part, template)).join(delimiter);
    }
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue') {
      const found = this.exports.get(object['Fn::ImportValue'] as string);
      if (!found) throw new Error(`no export ${JSON.stringify(object['Fn::ImportValue'])}`);
      return this.resolve(found.value, found.template);
    }
    if (keys.some((key) => key.startsWith('Fn::')))
      throw new Error(`cannot resolve ${JSON.stringify(object)}`);
    return Object.fromEntries(keys.map((key) => [key, this.resolve(object[key], template)]));
  }

  private ref(id: string, template: CfnTemplate): string {
    const { account, region, partition } = this.env;
    const pseudo: Record<string, string> = {
      'AWS::Partition': partition,
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::AccountId': account,
      'AWS::Region': region,
    };
    if (pseudo[id]) return pseudo[id];
    const resource = template.Resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return String(props.BucketName ?? id.toLowerCase());
      case 'AWS::IAM::Role':
        return String(props.RoleName ?? id);
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${partition}:iam::${account}:policy/${String(props.ManagedPolicyName ?? id)}`;
      case 'AWS::KMS::Key':
        return `key-${id}`;
      case 'AWS::SNS::Topic':
        return `arn:${partition}:sns:${region}:${account}:${id}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${id}`;
      case 'AWS::DynamoDB::Table':
        return id;
      default:
        throw new Error(`cannot resolve Ref ${id} of type ${resource.Type}`);
    }
  }

  private getAtt(id: string, attribute: string, template: CfnTemplate): string {
    const { account, region, partition } = this.env;
    const resource = template.Resources[id];
    if (!resource || attribute !== 'Arn') throw new Error(`cannot resolve GetAtt ${id}.${attribute}`);
    const name = this.ref(id, template);
    switch (resource.Type) {
      case 'AWS::S3::Bucket':
        return `arn:${partition}:s3:::${name}`;
      case 'AWS::IAM::Role':
        return `arn:${partition}:iam::${account}:role/${name}`;
      case 'AWS::KMS::Key':
        return `arn:${partition}:kms:${region}:${account}:key/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:${partition}:sqs:${region}:${account}:${id}`;
      case 'AWS::DynamoDB::Table':
        return `arn:${partition}:dynamodb:${region}:${account}:table/${name}`;
      default:
        throw new Error(`cannot resolve GetAtt ${id}.Arn of type ${resource.Type}`);
    }
  }
}
