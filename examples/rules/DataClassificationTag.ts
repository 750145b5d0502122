/**
 * An example rule of your own (docs/extending.md): every data store carries a
 * `clover:data-classification` tag, so whoever reads the bill, the inventory or
 * an incident report knows what kind of data it holds. Clover's own stacks tag
 * every resource; templates from elsewhere often do not.
 *
 *   npx clover audit template.yaml --rules examples/rules/DataClassificationTag.ts
 *   npx cdk synth -c rules=examples/rules/DataClassificationTag.ts
 */
import type { CloverRule, IndexedResource } from '../../lib/rules-api';

export const CLASSIFICATION_TAG = 'clover:data-classification';

/** The stores this rule judges, and what it reads of them (the coverage catalogue shows it). */
const DATA_STORES = [
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::Kinesis::Stream',
  'AWS::Logs::LogGroup',
  'AWS::SecretsManager::Secret',
];

/** The tag's value: Tags as a list of { Key, Value } (most types) or as a map. */
function classification(resource: IndexedResource): unknown {
  const tags = resource.properties.Tags;
  if (Array.isArray(tags)) {
    const tag = tags.find(
      (entry): entry is { Key: unknown; Value: unknown } =>
        typeof entry === 'object' &&
        entry !== null &&
        (entry as { Key?: unknown }).Key === CLASSIFICATION_TAG,
    );
    return tag?.Value;
  }
  return typeof tags === 'object' && tags !== null
    ? (tags as Record<string, unknown>)[CLASSIFICATION_TAG]
    : undefined;
}

export const DataClassificationTag: CloverRule = {
  id: 'EXAMPLE-TAG-1',
  family: 'RES',
  severity: 'error',
  resourceTypes: DATA_STORES,
  coverage: Object.fromEntries(
    DATA_STORES.map((type) => [type, `Tags: ${CLASSIFICATION_TAG} present and not empty`]),
  ),
  info: `A data store has no ${CLASSIFICATION_TAG} tag.`,
  explanation:
    'Residency, retention and access decisions depend on the kind of data a store holds. The tag says it where every inventory, cost report and incident tool can read it, without the source of the stack.',
  fix: `Tag the store with ${CLASSIFICATION_TAG} (CDK: Tags.of(stack).add('${CLASSIFICATION_TAG}', 'personal')).`,
  evaluate({ resource }) {
    const value = classification(resource);
    if (typeof value === 'string' && value.trim() !== '') return 'compliant';
    // A value CloudFormation resolves at deploy time (a parameter, an import) is a tag, just not known here.
    if (value !== undefined && typeof value !== 'string') return 'compliant';
    return [
      value === undefined
        ? `Tags has no ${CLASSIFICATION_TAG}: nobody reading the inventory knows what data the store holds`
        : `Tag ${CLASSIFICATION_TAG} is empty`,
    ];
  },
};
