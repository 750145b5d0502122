import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  FULL_SCHEMA,
  inventoryCsv,
  writeInventory,
  type InventoryObject,
} from '../../../bench/migration/generate';
import type { MigrationPlan } from '../../../lambda/migration/contract';
import { captureOutput } from '../../helpers/output';

const s3 = mockClient(S3Client);
const SOURCE = 'clover-interim-us-personal-555555555555-us-east-1';
const DESTINATION = 'clover-dublin-1-personal-111111111111-eu-west-1';
const REPORTS = 'clover-dublin-1-111111111111-eu-west-1-migration';

/** Answers ListObjectsV2 and GetObject from a folder standing for the migration bucket. */
function serveBucket(root: string): void {
  const keys = (dir: string, prefix = ''): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) =>
        entry.isDirectory()
          ? keys(path.join(dir, entry.name), `${prefix}${entry.name}/`)
          : [`${prefix}${entry.name}`],
      );
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; Delimiter?: string }) => {
    const under = keys(root).filter((key) => key.startsWith(input.Prefix ?? ''));
    if (!input.Delimiter) return { Contents: under.map((Key) => ({ Key })), IsTruncated: false };
    const folders = new Set<string>();
    for (const key of under) {
      const rest = key.slice((input.Prefix ?? '').length);
      if (rest.includes('/')) folders.add(`${input.Prefix ?? ''}${rest.slice(0, rest.indexOf('/') + 1)}`);
    }
    return { CommonPrefixes: [...folders].map((Prefix) => ({ Prefix })), IsTruncated: false };
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({
    Body: Readable.from([fs.readFileSync(path.join(root, ...input.Key.split('/')))]),
  }));
}

const objects = (count: number): InventoryObject[] =>
  Array.from({ length: count }, (_, i) => ({ key: `users/${i}.json`, size: 10 + i, encryption: 'SSE-KMS' }));

describe('the migration verifier in the cloud', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-verifier-'));
    for (const [bucket, rows] of [
      [SOURCE, objects(3)],
      [DESTINATION, objects(3).slice(1)],
    ] as const) {
      writeInventory({
        root,
        sourceBucket: bucket,
        columns: FULL_SCHEMA,
        dataFiles: [inventoryCsv(rows, bucket, FULL_SCHEMA)],
      });
    }
    const plan: MigrationPlan = {
      target: 'dublin-1',
      evidencePrefix: 'archive/dublin-1/',
      migrations: [
        {
          enclave: 'interim-us',
          stores: [
            {
              kind: 'bucket',
              source: 'clover-interim-us-personal-555555555555-',
              sourceReports: { bucket: REPORTS, account: '111111111111', region: 'eu-west-1' },
              destination: DESTINATION,
              destinationReports: { bucket: REPORTS, account: '111111111111', region: 'eu-west-1' },
            },
            {
              kind: 'table',
              source: 'clover-interim-us-records',
              sourceReports: { bucket: REPORTS, account: '111111111111', region: 'eu-west-1' },
              destination: 'clover-dublin-1-records',
              destinationReports: { bucket: REPORTS, account: '111111111111', region: 'eu-west-1' },
              keyAttributes: ['pk', 'sk'],
            },
          ],
        },
      ],
    };
    process.env.CLOVER_MIGRATION_PLAN = JSON.stringify(plan);
    process.env.CLOVER_EVIDENCE_BUCKET = 'clover-archive-444444444444-eu-west-1';
    process.env.CLOVER_EVIDENCE_REGION = 'eu-west-1';
    process.env.CLOVER_EVIDENCE_OWNER = '444444444444';
    serveBucket(root);
    s3.on(PutObjectCommand).resolves({});
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('verifies the newest reports, archives the evidence with If-None-Match, and publishes Missing and Mismatched', async () => {
    const { handler } = await import('../../../lambda/migration/verifier');
    const { result, stdout } = await captureOutput(() => handler());
    expect(result.verified).toEqual([`${SOURCE}: incomplete`]);
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({
      Bucket: 'clover-archive-444444444444-eu-west-1',
      IfNoneMatch: '*',
      ChecksumAlgorithm: 'CRC32',
      ExpectedBucketOwner: '444444444444',
      ContentType: 'application/json',
    });
    expect(puts[0].Key).toMatch(new RegExp(`^archive/dublin-1/migration/interim-us/${SOURCE}/\\d{4}-`));
    const evidence = JSON.parse(Buffer.from(puts[0].Body as Uint8Array).toString('utf8'));
    expect(evidence).toMatchObject({
      kind: 'migration-verification',
      source: {
        store: SOURCE,
        path: expect.stringMatching(new RegExp(`^s3://${REPORTS}/inventory/${SOURCE}/migration/`)),
      },
      destination: { store: DESTINATION },
      objects: { source: 3, destination: 2, missing: 1, mismatched: 0 },
      missing: ['users/0.json'],
      verdict: 'incomplete',
    });
    const emf = JSON.parse(stdout.split('\n').find((line) => line.includes('"Missing"'))!);
    expect(emf).toMatchObject({ Enclave: 'interim-us', Missing: 1, Mismatched: 0 });
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Clover/Migration',
      Dimensions: [['Enclave']],
    });
  });
});
