import { STORE_SPECS, StoreSpec } from '../../../../lib/audit/coverage/at-rest';
import type { CfnTemplate } from '../../../../lib/audit/template';
import { ENCLAVE_KEY, findingsOf, resource, setAt } from '../../../helpers/rules';

/**
 * One breaching and one compliant case per data-store type of the reviewed
 * registry table (lib/audit/coverage/at-rest.ts), generated from the table and
 * judged by the pure rules, as `clover audit` runs them.
 */
const KEY_ARN = { 'Fn::GetAtt': ['Key', 'Arn'] };

function within(spec: StoreSpec, property: string): string {
  return spec.at ? `${spec.at}.${property}` : property;
}

/** The properties that meet every spec of a type: encryption on, KMS mode, the enclave key named. */
function compliantProperties(specs: readonly StoreSpec[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.whereRoot) setAt(properties, spec.whereRoot.property, spec.whereRoot.equals);
    if (spec.delegatedTo) {
      setAt(properties, spec.delegatedTo.property, 'enclave-security-configuration');
      continue;
    }
    if (spec.onlyWhen) setAt(properties, within(spec, spec.onlyWhen), true);
    if (spec.flag) setAt(properties, within(spec, spec.flag), true);
    if (spec.mode) setAt(properties, within(spec, spec.mode.property), spec.mode.kms[0]);
    if (spec.key) setAt(properties, within(spec, spec.key), KEY_ARN);
    if (spec.regionAt) setAt(properties, within(spec, spec.regionAt), 'eu-west-1');
  }
  return properties;
}

function template(type: string, properties: Record<string, unknown>): CfnTemplate {
  return { Resources: { Key: ENCLAVE_KEY, Store: resource(type, properties) } };
}

function storeFindings(type: string, properties: Record<string, unknown>): string[] {
  return (
    findingsOf(template(type, properties))
      // Encryption at rest only: in-transit settings of the same types are CLV-ENC-9's (in-transit.test.ts).
      .filter((finding) => finding.resource === 'Store' && ['CLV-ENC-8', 'CLV-ENC-10'].includes(finding.rule))
      .map((finding) => `${finding.rule} ${finding.message}`)
  );
}

/** Some findings, and every one matches: specs that share a key or flag report once each. */
function expectOnly(found: readonly string[], pattern: RegExp): void {
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((finding) => !pattern.test(finding))).toEqual([]);
}

const canComply = ([, specs]: [string, readonly StoreSpec[]]) =>
  specs.every((spec) => spec.key !== undefined || spec.flag !== undefined || spec.delegatedTo !== undefined);
const compliantTypes = Object.entries(STORE_SPECS).filter(canComply);
const cases = Object.entries(STORE_SPECS).flatMap(([type, specs]) =>
  specs.map((spec, i) => [`${type} #${i} (${spec.at ?? 'properties'})`, type, specs, spec] as const),
);

describe('CLV-ENC-8 data stores of the registry table', () => {
  test.each(compliantTypes.map(([type, specs]) => [type, specs] as const))(
    'accepts %s with encryption on and the enclave’s customer-managed key',
    (type, specs) => {
      expect(storeFindings(type, compliantProperties(specs))).toEqual([]);
    },
  );

  test.each(cases)('rejects %s without the customer-managed key', (_name, type, specs, spec) => {
    const properties = compliantProperties(specs);
    if (spec.delegatedTo) {
      delete properties[spec.delegatedTo.property];
    } else if (spec.key) {
      setAt(properties, within(spec, spec.key), '');
    } else if (spec.flag) {
      setAt(properties, within(spec, spec.flag), false);
    }
    expectOnly(storeFindings(type, properties), /^CLV-ENC-8 /);
  });

  test.each(cases.filter(([, , , spec]) => spec.key !== undefined && spec.awsOwnedValues === undefined))(
    'rejects %s with the AWS-managed key alias/aws/…',
    (_name, type, specs, spec) => {
      const properties = setAt(compliantProperties(specs), within(spec, spec.key!), 'alias/aws/service');
      expectOnly(storeFindings(type, properties), /^CLV-ENC-8 .*AWS-managed key/);
    },
  );

  test.each(cases.filter(([, , , spec]) => spec.flag !== undefined && spec.key !== undefined))(
    'rejects %s with its encryption flag off, even with a key',
    (_name, type, specs, spec) => {
      const properties = setAt(compliantProperties(specs), within(spec, spec.flag!), 'false');
      expectOnly(storeFindings(type, properties), /^CLV-ENC-8 .*not encrypted at rest/);
    },
  );

  test.each(cases.filter(([, , , spec]) => spec.mode !== undefined))(
    'rejects %s whose encryption mode is not KMS',
    (_name, type, specs, spec) => {
      const properties = setAt(compliantProperties(specs), within(spec, spec.mode!.property), 'NOT_KMS');
      expectOnly(storeFindings(type, properties), /^CLV-ENC-8 .*is NOT_KMS/);
    },
  );

  test('rejects a store whose flag defaults to off when the flag is absent, and names the default', () => {
    expect(storeFindings('AWS::ElastiCache::ReplicationGroup', { KmsKeyId: KEY_ARN })).toEqual([
      'CLV-ENC-8 AtRestEncryptionEnabled is not set (off by default): the data is not encrypted at rest',
    ]);
  });

  test('rejects a cache cluster, which cannot encrypt at rest at all', () => {
    expect(storeFindings('AWS::ElastiCache::CacheCluster', { Engine: 'redis' })).toEqual([
      expect.stringMatching(/^CLV-ENC-8 .*cannot encrypt at rest.*not encrypted at rest/),
    ]);
  });

  test('accepts a key of the same account and region given by ARN, with a warning that it cannot be verified', () => {
    const arn = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(storeFindings('AWS::SecretsManager::Secret', { KmsKeyId: arn })).toEqual([
      `CLV-ENC-10 the key ${arn} is outside the audited templates, so whether it is a customer-managed key of this enclave (its key policy, rotation and region) cannot be verified`,
    ]);
  });

  test('rejects a key in another region, and judges every replica of a secret in its own region', () => {
    const arn = 'arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const found = storeFindings('AWS::SecretsManager::Secret', {
      KmsKeyId: KEY_ARN,
      ReplicaRegions: [{ Region: 'eu-central-1', KmsKeyId: arn }, { Region: 'eu-north-1' }],
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^CLV-ENC-8 ReplicaRegions\[1\] in eu-north-1: KmsKeyId is not set: an AWS-managed key/,
      ),
      expect.stringMatching(
        /^CLV-ENC-10 ReplicaRegions\[0\] in eu-central-1: the key arn:aws:kms:eu-central-1/,
      ),
    ]);
  });

  test('reads JSON documents written as text (an OpenSearch Serverless encryption policy)', () => {
    const policy = (owned: boolean) =>
      JSON.stringify({
        Rules: [{ ResourceType: 'collection', Resource: ['collection/data'] }],
        AWSOwnedKey: owned,
      });
    expect(
      storeFindings('AWS::OpenSearchServerless::SecurityPolicy', {
        Type: 'encryption',
        Policy: policy(true),
      }),
    ).toEqual([expect.stringMatching(/^CLV-ENC-8 .*AWSOwnedKey is true/)]);
    expect(
      storeFindings('AWS::OpenSearchServerless::SecurityPolicy', { Type: 'network', Policy: policy(true) }),
    ).toEqual([]);
  });

  test('judges API caches only where caching is on', () => {
    const stage = (caching: boolean, encrypted: boolean) => ({
      MethodSettings: [
        { HttpMethod: '*', ResourcePath: '/*', CachingEnabled: caching, CacheDataEncrypted: encrypted },
      ],
    });
    expect(storeFindings('AWS::ApiGateway::Stage', stage(false, false))).toEqual([]);
    expect(storeFindings('AWS::ApiGateway::Stage', stage(true, true))).toEqual([]);
    expect(storeFindings('AWS::ApiGateway::Stage', stage(true, false))).toEqual([
      expect.stringMatching(
        /^CLV-ENC-8 MethodSettings\[0\] \(cached responses\): CacheDataEncrypted is false/,
      ),
    ]);
  });
});
