import * as fs from 'fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { collectGateFindings, GateResult } from '../../lib/app/gate';
import { ACKNOWLEDGMENT_METADATA_TYPE } from '../../lib/audit/acknowledgments';
import { CfnTemplate, IndexedResource, TemplateIndex } from '../../lib/audit/template';
import { asArray, getPath, isFalse, isTrue } from '../../lib/audit/values';
import { markedDecision } from '../../lib/stacks/design-decisions';
import { replicationsOf } from '../../lib/stacks/data-stack';
import { buildTestApp } from '../helpers/app';
import { CDK_JSON_CONTEXT } from './cdk-json-context';

/**
 * The default synth, shared by every test in this file: Data and Access stacks of
 * every enclave, and the gate result of one real synth. The app is synthesized
 * once, first: Template.fromStack then reuses each stage's assembly.
 */
// cfn-validate runs once for every stack in test/app/default-synth.test.ts.
const built = buildTestApp(CDK_JSON_CONTEXT);
const stacks = built.enclaveStages.flatMap((stage) => [stage.data, stage.access] as Stack[]);
let gate: GateResult;
let templates: Map<Stack, CfnTemplate>;
beforeAll(() => {
  const assembly = built.app.synth();
  gate = collectGateFindings(assembly.directory, built.cloverChecks);
  templates = new Map(stacks.map((stack) => [stack, Template.fromStack(stack).toJSON() as CfnTemplate]));
});
afterAll(() => fs.rmSync(built.app.outdir, { recursive: true, force: true }));

function indexOf(stack: Stack): TemplateIndex {
  return new TemplateIndex(templates.get(stack)!, {
    stackName: stack.stackName,
    account: stack.account,
    region: stack.region,
    allowJurisdictions: ['EU', 'EEA'],
    today: '2026-11-23',
  });
}

/** The KMS key reference of a storage resource, or undefined when it names none. */
function keyReference(resource: IndexedResource): unknown {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::S3::Bucket': {
      const rules = asArray(getPath(p, ['BucketEncryption', 'ServerSideEncryptionConfiguration']));
      const defaults = rules.map((rule) => getPath(rule, ['ServerSideEncryptionByDefault']));
      return defaults.every((d) => getPath(d, ['SSEAlgorithm']) === 'aws:kms')
        ? getPath(defaults[0], ['KMSMasterKeyID'])
        : undefined;
    }
    case 'AWS::DynamoDB::Table':
      return isTrue(getPath(p, ['SSESpecification', 'SSEEnabled'])) &&
        getPath(p, ['SSESpecification', 'SSEType']) === 'KMS'
        ? getPath(p, ['SSESpecification', 'KMSMasterKeyId'])
        : undefined;
    case 'AWS::SQS::Queue':
    case 'AWS::SNS::Topic':
      return p.KmsMasterKeyId;
    case 'AWS::Logs::LogGroup':
      return p.KmsKeyId;
    default:
      throw new Error(`not a storage type: ${resource.type}`);
  }
}

const STORAGE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::Logs::LogGroup',
];
/** Every other resource type these stacks may hold; a new type must be classified here first. */
const NON_STORAGE_TYPES = [
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Events::Rule',
  'AWS::CDK::Metadata',
];

describe('acceptance: data at rest on the default synth', () => {
  test('holds no resource type that the walk below does not classify', () => {
    for (const stack of stacks) {
      for (const resource of indexOf(stack).all()) {
        expect([...STORAGE_TYPES, ...NON_STORAGE_TYPES]).toContain(resource.type);
      }
    }
  });

  test('encrypts every storage resource with a customer-managed, single-Region, rotating key of its own enclave', () => {
    let checked = 0;
    for (const stack of stacks) {
      const index = indexOf(stack);
      for (const resource of index.ofType(...STORAGE_TYPES)) {
        if (isAccessLogBucket(stack, resource)) continue;
        const key = index.resolve(keyReference(resource), 'AWS::KMS::Key');
        expect({ stack: stack.stackName, resource: resource.logicalId, key: key?.logicalId }).toEqual({
          stack: stack.stackName,
          resource: resource.logicalId,
          key: expect.any(String),
        });
        expect(isTrue(key!.properties.EnableKeyRotation)).toBe(true);
        expect(key!.properties.MultiRegion === undefined || isFalse(key!.properties.MultiRegion)).toBe(true);
        checked++;
      }
    }
    // 3 enclaves × (2 data buckets + table + 2 queues + 1 topic).
    expect(checked).toBe(18);
  });

  test('keeps exactly one SSE-S3 bucket per enclave: the server-access-log target, acknowledged with its reason', () => {
    for (const stage of built.enclaveStages) {
      const index = indexOf(stage.data);
      const buckets = index.ofType('AWS::S3::Bucket');
      const logBuckets = buckets.filter((bucket) => isAccessLogBucket(stage.data, bucket));
      expect(logBuckets).toHaveLength(1);
      const logBucket = logBuckets[0];
      expect(
        getPath(logBucket.properties, [
          'BucketEncryption',
          'ServerSideEncryptionConfiguration',
          0,
          'ServerSideEncryptionByDefault',
        ]),
      ).toEqual({
        SSEAlgorithm: 'AES256',
      });
      // Every data bucket logs into it, and it holds nothing else.
      for (const bucket of buckets.filter((b) => b !== logBucket)) {
        expect(
          index.resolve(getPath(bucket.properties, ['LoggingConfiguration', 'DestinationBucketName']))
            ?.logicalId,
        ).toBe(logBucket.logicalId);
      }
      expect(logBucket.properties.ReplicationConfiguration).toBeUndefined();
      const ack = stage.data.vault.accessLogsBucket.node.metadata.find(
        (entry) => entry.type === ACKNOWLEDGMENT_METADATA_TYPE,
      );
      expect(ack?.data).toEqual({
        rule: 'CLV-ENC-1',
        reason: markedDecision('ACCESS_LOG_BUCKET').answers!.find((answer) => answer.rule === 'CLV-ENC-1')!
          .reason,
        decision: 'ACCESS_LOG_BUCKET',
      });
    }
  });

  test('denies non-TLS requests and TLS below 1.2 in the policy of every bucket', () => {
    for (const stack of stacks) {
      const index = indexOf(stack);
      for (const bucket of index.ofType('AWS::S3::Bucket')) {
        const policies = index.referrers(bucket.logicalId, 'AWS::S3::BucketPolicy', 'Bucket');
        expect(policies).toHaveLength(1);
        const statements = asArray(getPath(policies[0].properties, ['PolicyDocument', 'Statement'])) as Array<
          Record<string, unknown>
        >;
        const denies = (condition: Record<string, unknown>) =>
          statements.some(
            (s) =>
              s.Effect === 'Deny' &&
              JSON.stringify(s.Principal) === JSON.stringify({ AWS: '*' }) &&
              JSON.stringify(s.Condition) === JSON.stringify(condition),
          );
        expect(denies({ Bool: { 'aws:SecureTransport': 'false' } })).toBe(true);
        expect(denies({ NumericLessThan: { 's3:TlsVersion': 1.2 } })).toBe(true);
      }
    }
  });
});

describe('gate on the default synth', () => {
  test('finds no error and no warning in any Data or Access stack (CloverChecks, AwsSolutions)', () => {
    const mine = gate.findings.filter((finding) =>
      /^[a-z0-9-]+[/-](Data|Access)(\/|$)/.test(finding.path ?? finding.stack),
    );
    expect(
      mine.map(
        (finding) => `${finding.severity} ${finding.rule} ${finding.path}: ${finding.message.slice(0, 160)}`,
      ),
    ).toEqual([]);
  });

  test('waives only the SSE-S3 access-log bucket of each enclave under CLV-ENC-1, by acknowledgment', () => {
    const waived = built.cloverChecks.acknowledged.filter((entry) =>
      /^[a-z0-9-]+-(Data|Access)$/.test(entry.finding.stack),
    );
    expect(waived.map((entry) => [entry.finding.stack, entry.finding.rule, entry.finding.path])).toEqual(
      ['dublin-1', 'dublin-2', 'hamar'].map((enclave) => [
        `${enclave}-Data`,
        'CLV-ENC-1',
        `${enclave}/Data/Vault/AccessLogs/Resource`,
      ]),
    );
  });
});

describe('Data stack wiring', () => {
  test('replicates dublin-1 personal data to dublin-2 and nothing else, by the default config', () => {
    expect(replicationsOf(built.loaded.config, 'dublin-1')).toEqual({
      outgoing: [
        {
          dataClass: 'personal',
          destination: { enclave: 'dublin-2', account: '222222222222', region: 'eu-west-1' },
        },
      ],
      incoming: [],
    });
    expect(replicationsOf(built.loaded.config, 'dublin-2').incoming).toEqual([
      {
        dataClass: 'personal',
        source: { enclave: 'dublin-1', account: '111111111111', region: 'eu-west-1' },
      },
    ]);
    const hamar = built.enclaveStages.find((stage) => stage.enclave.name === 'hamar')!;
    expect(hamar.data.vault.replicationRole).toBeUndefined();
  });

  test('gives each enclave its own keys, aliased by enclave and class, in its own region', () => {
    for (const stage of built.enclaveStages) {
      const template = Template.fromStack(stage.data);
      for (const dataClass of ['personal', 'telemetry']) {
        template.hasResourceProperties('AWS::KMS::Alias', {
          AliasName: `alias/clover/${stage.enclave.name}/${dataClass}`,
        });
        template.hasResourceProperties('AWS::S3::Bucket', {
          BucketName: `clover-${stage.enclave.name}-${dataClass}-${stage.enclave.account}-${stage.enclave.region}`,
        });
      }
    }
  });

  test('uses stable construct IDs for the stores', () => {
    const dublin = built.enclaveStages[0].data;
    const ids = indexOf(dublin);
    for (const prefix of [
      'VaultKeyspersonalKey',
      'VaultBucketspersonal',
      'VaultAccessLogs',
      'VaultRecords',
      'VaultWorkQueue',
      'VaultTopicsdataevents',
      'VaultReplicationRole',
    ]) {
      expect([...ids.all()].some((resource) => resource.logicalId.startsWith(prefix))).toBe(true);
    }
  });
});

function isAccessLogBucket(stack: Stack, resource: IndexedResource): boolean {
  const vault = (stack as { vault?: { accessLogsBucket: { node: { defaultChild?: unknown } } } }).vault;
  if (!vault || resource.type !== 'AWS::S3::Bucket') return false;
  return stack.getLogicalId(vault.accessLogsBucket.node.defaultChild as never) === resource.logicalId;
}
