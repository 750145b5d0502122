/**
 * Links between resources that a template writes without `Ref`: by equal
 * values (a bucket policy whose `Bucket` is the same `Fn::Sub` expression or
 * parameter as the bucket's `BucketName`), by name or ARN text, and across
 * the stacks audited together (`Fn::ImportValue` of another stack's export, an
 * ARN naming a resource of another stack of the same cdk.out). What is not
 * found anywhere is outside the audited templates: the analysers report it as
 * unverifiable, never as compliant or as a breach. Pure.
 */
import { renderContextOf, renderString } from './iam';
import type { IndexedResource, PeerStacks, TemplateIndex } from './template';
import { isObject, referencedLogicalId } from './values';

/** A resource found for a value: in the stack itself, or in another audited stack. */
export interface LinkedResource {
  readonly index: TemplateIndex;
  readonly resource: IndexedResource;
}

/** How each type is named, and its ARN's service and resource prefix (`function:`, `log-group:`). */
const NAMES: Readonly<Record<string, { property: string; service: string; arnPrefix: string }>> = {
  'AWS::S3::Bucket': { property: 'BucketName', service: 's3', arnPrefix: '' },
  'AWS::Lambda::Function': { property: 'FunctionName', service: 'lambda', arnPrefix: 'function:' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', service: 'logs', arnPrefix: 'log-group:' },
  'AWS::SNS::Topic': { property: 'TopicName', service: 'sns', arnPrefix: '' },
  'AWS::SQS::Queue': { property: 'QueueName', service: 'sqs', arnPrefix: '' },
  'AWS::KMS::Alias': { property: 'AliasName', service: 'kms', arnPrefix: '' },
  'AWS::Events::EventBus': { property: 'Name', service: 'events', arnPrefix: 'event-bus/' },
  'AWS::DynamoDB::Table': { property: 'TableName', service: 'dynamodb', arnPrefix: 'table/' },
  'AWS::SecretsManager::Secret': { property: 'Name', service: 'secretsmanager', arnPrefix: 'secret:' },
};

/** Two values are the same when they are written the same way, or render to the same text. */
export function sameValue(index: TemplateIndex, a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const context = renderContextOf(index);
  const left = renderString(a, context);
  return left !== undefined && left === renderString(b, context);
}

/** The text a resource's name property renders to (`${AWS::StackName}-data` when written with Fn::Sub). */
export function nameText(index: TemplateIndex, resource: IndexedResource): string | undefined {
  const naming = NAMES[resource.type];
  if (!naming) return undefined;
  const value = resource.properties[naming.property];
  return value === undefined ? undefined : renderString(value, renderContextOf(index));
}

/** The export another audited stack gives for a `Fn::ImportValue`, when the name renders. */
export function importedValue(
  index: TemplateIndex,
  value: unknown,
): { readonly index: TemplateIndex; readonly value: unknown; readonly name: string } | undefined {
  if (!isObject(value) || !('Fn::ImportValue' in value)) return undefined;
  const name = renderString(value['Fn::ImportValue'], renderContextOf(index));
  if (name === undefined) return undefined;
  const found = index.peers?.exported(name);
  return found ? { ...found, name } : undefined;
}

/** The name part of an ARN or a bare name of the type (`arn:…:function:shipper` → `shipper`). */
function nameFromText(
  text: string,
  type: string,
): { name: string; region?: string; account?: string } | undefined {
  const naming = NAMES[type];
  if (!naming) return undefined;
  if (!text.startsWith('arn:')) return { name: text };
  const parts = text.split(':');
  if (parts.length < 6 || parts[2] !== naming.service) return undefined;
  const rest = parts.slice(5).join(':');
  if (!rest.startsWith(naming.arnPrefix)) return undefined;
  const name = rest
    .slice(naming.arnPrefix.length)
    .replace(/:\*$/, '')
    .replace(/:[^:]*$/, (tail) => (type === 'AWS::Lambda::Function' ? '' : tail));
  return { name, region: parts[3] || undefined, account: parts[4] || undefined };
}

type Named = NonNullable<ReturnType<typeof nameFromText>>;

/** Whether a stack may hold what an ARN names: same region and account where both are known. */
function placedFor(index: TemplateIndex, named: Named): boolean {
  const { region, account } = index.context;
  if (named.region && region && named.region !== region) return false;
  return !(named.account && account && named.account !== account);
}

function findNamed(index: TemplateIndex, type: string, named: Named): IndexedResource | undefined {
  if (!placedFor(index, named)) return undefined;
  return index.ofType(type).find((resource) => nameText(index, resource) === named.name);
}

function findByName(index: TemplateIndex, type: string, text: string): IndexedResource | undefined {
  const named = nameFromText(text, type);
  return named ? findNamed(index, type, named) : undefined;
}

/** The peers of a link, by `account/region` (stacks without both known under ''), built once per link. */
const PEERS_BY_PLACE = new WeakMap<PeerStacks, Map<string, TemplateIndex[]>>();

function peersPlacedFor(peers: PeerStacks, named: Named): readonly TemplateIndex[] {
  if (!named.account || !named.region) return peers.indexes;
  let byPlace = PEERS_BY_PLACE.get(peers);
  if (!byPlace) {
    byPlace = new Map();
    for (const peer of peers.indexes) {
      const { account, region } = peer.context;
      const key = account && region ? `${account}/${region}` : '';
      byPlace.set(key, [...(byPlace.get(key) ?? []), peer]);
    }
    PEERS_BY_PLACE.set(peers, byPlace);
  }
  return [...(byPlace.get(`${named.account}/${named.region}`) ?? []), ...(byPlace.get('') ?? [])];
}

/**
 * The resource of `type` a value points at: a `Ref`/`Fn::GetAtt` of this
 * stack, a `Fn::ImportValue` of another audited stack's export, or a name or
 * ARN that names a resource of this stack or of another audited stack.
 */
export function linkedResource(
  index: TemplateIndex,
  value: unknown,
  type: string,
): LinkedResource | undefined {
  const target = index.get(referencedLogicalId(value));
  if (target) return target.type === type ? { index, resource: target } : undefined;
  const imported = importedValue(index, value);
  if (imported) return linkedResource(imported.index, imported.value, type);
  const text = renderString(value, renderContextOf(index));
  if (text === undefined || text.includes('${')) return undefined;
  const here = findByName(index, type, text);
  if (here) return { index, resource: here };
  // Another stack is searched only for an ARN, and only the stacks of its account and region.
  const named = index.peers && text.startsWith('arn:') ? nameFromText(text, type) : undefined;
  if (!named || !index.peers) return undefined;
  for (const peer of peersPlacedFor(index.peers, named)) {
    if (peer === index || peer.template === index.template) continue;
    const there = findNamed(peer, type, named);
    if (there) return { index: peer, resource: there };
  }
  return undefined;
}

/**
 * Links the stacks audited together (one cdk.out, or several inputs given at
 * once), so that imports and ARNs between them resolve. Exports are read from
 * each template's `Outputs`.
 */
export function linkStacks(indexes: readonly TemplateIndex[]): void {
  const exports = new Map<string, { index: TemplateIndex; value: unknown }>();
  for (const index of indexes) {
    for (const output of Object.values(index.template.Outputs ?? {})) {
      if (!isObject(output) || !isObject(output.Export)) continue;
      const name = renderString(output.Export.Name, renderContextOf(index));
      if (name !== undefined) exports.set(name, { index, value: output.Value });
    }
  }
  const peers: PeerStacks = { indexes, exported: (name) => exports.get(name) };
  for (const index of indexes) index.link(peers);
}
