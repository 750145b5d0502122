import { RESOURCE_POLICY_TYPES, resourcePolicyStatements } from '../../../audit/access';
import {
  actionList,
  conditionEntries,
  parseArn,
  principalEntries,
  renderContextOf,
  renderString,
} from '../../../audit/iam';
import { interimEnclavesOf, InterimEnclave } from '../../../audit/interim';
import { residencyOf } from '../../../audit/residency';
import { CloverRule, NOT_APPLICABLE, RuleTarget, violations } from '../../../audit/rule';
import type { IndexedResource, TemplateIndex } from '../../../audit/template';
import { asArray, isObject, literalString } from '../../../audit/values';

/**
 * What a European policy may grant a principal of an interim enclave: writes into Europe (replicas,
 * exports, archived logs, events) and the key use those writes need. Anything else reads or reaches
 * European data from the interim enclave.
 */
const INBOUND_ACTIONS = new Set(
  [
    's3:PutObject',
    's3:PutObjectAcl',
    's3:AbortMultipartUpload',
    's3:ReplicateObject',
    's3:ReplicateDelete',
    's3:ReplicateTags',
    's3:ObjectOwnerOverrideToBucketOwner',
    's3:GetBucketVersioning',
    's3:PutBucketVersioning',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:DescribeKey',
    'events:PutEvents',
    'sqs:SendMessage',
    'sns:Publish',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
  ].map((action) => action.toLowerCase()),
);

/** Condition keys that name the calling principal or the account a service acts for. */
const PRINCIPAL_KEYS = ['aws:principalaccount', 'aws:principalarn', 'aws:sourceaccount', 'aws:sourceowner'];

/** Properties that send data somewhere: replication, subscriptions, rule targets, table replicas. */
const DESTINATIONS: Record<string, (properties: Record<string, unknown>) => Array<[string, unknown]>> = {
  'AWS::S3::Bucket': (p) =>
    asArray(isObject(p.ReplicationConfiguration) ? p.ReplicationConfiguration.Rules : undefined).flatMap(
      (rule, i) =>
        isObject(rule) && isObject(rule.Destination)
          ? ([
              [`ReplicationConfiguration.Rules[${i}].Destination.Bucket`, rule.Destination.Bucket],
              [`ReplicationConfiguration.Rules[${i}].Destination.Account`, rule.Destination.Account],
            ] as Array<[string, unknown]>)
          : [],
    ),
  'AWS::Logs::SubscriptionFilter': (p) => [['DestinationArn', p.DestinationArn]],
  'AWS::SNS::Subscription': (p) => [['Endpoint', p.Endpoint]],
  'AWS::SNS::Topic': (p) =>
    asArray(p.Subscription).map((s, i) => [
      `Subscription[${i}].Endpoint`,
      isObject(s) ? s.Endpoint : undefined,
    ]),
  'AWS::Events::Rule': (p) =>
    asArray(p.Targets).map((t, i) => [`Targets[${i}].Arn`, isObject(t) ? t.Arn : undefined]),
  'AWS::DynamoDB::GlobalTable': (p) =>
    asArray(p.Replicas).map((r, i) => [`Replicas[${i}].Region`, isObject(r) ? r.Region : undefined]),
  'AWS::DynamoDB::Table': (p) =>
    asArray(p.Replicas).map((r, i) => [`Replicas[${i}].Region`, isObject(r) ? r.Region : undefined]),
};

/** The interim enclave a text names: its account (in an ARN or bare), its region where this stack may not go, or one of its buckets. */
function interimNamedIn(
  text: string,
  interims: readonly InterimEnclave[],
  index: TemplateIndex,
): InterimEnclave | undefined {
  const arn = parseArn(text);
  const policy = residencyOf(index);
  return interims.find(
    (interim) =>
      text === interim.account ||
      arn?.account === interim.account ||
      text.includes(`::${interim.account}:`) ||
      policy.disallowedRegionsIn(text).includes(interim.region) ||
      // A Clover store of the interim enclave (its buckets are `clover-<enclave>-…`), named by bucket ARN or name.
      text.replace(/^arn:[^:]*:s3:::/, '').startsWith(`clover-${interim.name}-`),
  );
}

function grants(
  resource: IndexedResource,
  index: TemplateIndex,
  interims: readonly InterimEnclave[],
): string[] {
  const context = renderContextOf(index);
  const found: string[] = [];
  for (const { property, statement } of resourcePolicyStatements(resource, index)) {
    if (statement.effect !== 'Allow') continue;
    const named = [
      ...principalEntries(statement.principal).map((entry) => renderString(entry.value, context)),
      ...conditionEntries(statement)
        .filter((entry) => PRINCIPAL_KEYS.includes(entry.key.toLowerCase()))
        .flatMap((entry) => entry.values.map((value) => renderString(value, context))),
    ].filter((text): text is string => text !== undefined);
    const interim = named.map((text) => interimNamedIn(text, interims, index)).find(Boolean);
    if (!interim) continue;
    const actions = statement.action !== undefined ? actionList(statement.action) : ['* (NotAction)'];
    // A multipart upload with SSE-KMS needs kms:Decrypt too; through S3 only, reading still needs a bucket
    // grant, which this rule judges on the bucket policies.
    const viaS3Only = conditionEntries(statement)
      .filter((entry) => entry.key.toLowerCase() === 'kms:viaservice')
      .some(
        (entry) => entry.values.length > 0 && entry.values.every((value) => String(value).startsWith('s3.')),
      );
    const outbound = actions.filter(
      (action) =>
        !INBOUND_ACTIONS.has(action.toLowerCase()) && !(viaS3Only && action.toLowerCase() === 'kms:decrypt'),
    );
    if (outbound.length === 0) continue;
    const where =
      property === '(permission)'
        ? 'the permission'
        : `${property} statement ${statement.position}${statement.sid ? ` ("${statement.sid}")` : ''}`;
    found.push(
      `${where} lets a principal of interim enclave "${interim.name}" (account ${interim.account}, ${interim.region}) ${outbound.join(', ')}: a path from European data into the interim enclave`,
    );
  }
  return found;
}

function destinations(
  resource: IndexedResource,
  index: TemplateIndex,
  interims: readonly InterimEnclave[],
): string[] {
  const context = renderContextOf(index);
  const read = DESTINATIONS[resource.type];
  if (!read) return [];
  return read(resource.properties).flatMap(([path, value]) => {
    const text = literalString(value) ?? renderString(value, context);
    const interim = text === undefined ? undefined : interimNamedIn(text, interims, index);
    return interim
      ? [
          `${path} "${text}" sends data into interim enclave "${interim.name}" (account ${interim.account}, ${interim.region})`,
        ]
      : [];
  });
}

/** Global-table replicas of an interim table write back into it from every other replica's region. */
function interimReplicas(resource: IndexedResource, index: TemplateIndex): string[] {
  const own = index.context.region;
  return asArray(resource.properties.Replicas).flatMap((replica, i) => {
    const region = isObject(replica) ? literalString(replica.Region) : undefined;
    return region !== undefined && region !== own
      ? [
          `Replicas[${i}].Region "${region}": a global-table replica writes back into interim enclave "${index.enclave!.name}" from ${region}; migrate tables with exports instead`,
        ]
      : [];
  });
}

/** Data never flows from a European enclave into an interim one: no grant, trust, subscription, replication or replica. */
export const EuropeToInterim: CloverRule = {
  id: 'CLV-RES-10',
  family: 'RES',
  severity: 'error',
  resourceTypes: [...new Set([...RESOURCE_POLICY_TYPES, ...Object.keys(DESTINATIONS)])],
  coverage: {
    ...Object.fromEntries(
      RESOURCE_POLICY_TYPES.map((type) => [
        type,
        'Allow statements of its resource policy that name an interim enclave’s account (principal or condition) for more than writes into Europe',
      ]),
    ),
    'AWS::S3::Bucket': 'ReplicationConfiguration.Rules[].Destination (bucket, account) in an interim enclave',
    'AWS::Logs::SubscriptionFilter': 'DestinationArn in an interim enclave',
    'AWS::SNS::Subscription': 'Endpoint in an interim enclave',
    'AWS::SNS::Topic': 'Subscription[].Endpoint in an interim enclave',
    'AWS::Events::Rule': 'Targets[].Arn in an interim enclave',
    'AWS::DynamoDB::GlobalTable':
      'Replicas[].Region of an interim enclave; in an interim enclave, any replica in another region',
    'AWS::DynamoDB::Table':
      'Replicas[].Region of an interim enclave; in an interim enclave, any replica in another region; and its ResourcePolicy',
  },
  info: 'A European stack grants an interim enclave’s principals more than writes into Europe, or sends data into an interim enclave (replication, subscription, rule target, table replica); or an interim table has global-table replicas.',
  explanation:
    'An interim enclave outside Europe may send data only into its European target, one way. A European policy that lets its principals read, decrypt, assume or subscribe, a destination in its account or region, or a global-table replica (which writes back to every region) would carry European data into it.',
  fix: 'Remove the grant, trust or destination; grant an interim enclave only the writes its migration needs (replication, exports, archive, events), and migrate tables with exports, never a global table.',
  evaluate({ resource, index }: RuleTarget) {
    if (index.enclave?.interim) {
      return resource.type === 'AWS::DynamoDB::GlobalTable' || resource.type === 'AWS::DynamoDB::Table'
        ? violations(interimReplicas(resource, index))
        : NOT_APPLICABLE;
    }
    const interims = interimEnclavesOf(index);
    if (interims.length === 0) return NOT_APPLICABLE;
    return violations([...grants(resource, index, interims), ...destinations(resource, index, interims)]);
  },
};
