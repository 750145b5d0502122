import {
  exportsToApply,
  parseExportSummary,
  writeOf,
  type ExportSummary,
} from '../../../lambda/migration/apply-plan';
import { exportRequest, exporterSettings } from '../../../lambda/migration/export-plan';

const settings = exporterSettings({
  CLOVER_EXPORT_TABLE_ARN: 'arn:aws:dynamodb:us-east-1:555555555555:table/clover-interim-us-records',
  CLOVER_EXPORT_BUCKET: 'clover-dublin-1-111111111111-eu-west-1-migration',
  CLOVER_EXPORT_BUCKET_OWNER: '111111111111',
  CLOVER_EXPORT_KEY_ARN: 'arn:aws:kms:eu-west-1:111111111111:alias/clover/dublin-1/migration',
});
/** 2026-11-23T10:37:00Z */
const NOW = Date.parse('2026-11-23T10:37:00Z') / 1000;

describe('table exporter requests', () => {
  test('a full export in DynamoDB JSON into the target bucket, encrypted with its key, one per day', () => {
    expect(exportRequest(settings, { kind: 'full' }, NOW)).toEqual({
      TableArn: 'arn:aws:dynamodb:us-east-1:555555555555:table/clover-interim-us-records',
      S3Bucket: 'clover-dublin-1-111111111111-eu-west-1-migration',
      S3BucketOwner: '111111111111',
      S3Prefix: 'exports/clover-interim-us-records',
      S3SseAlgorithm: 'KMS',
      S3SseKmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:alias/clover/dublin-1/migration',
      ExportFormat: 'DYNAMODB_JSON',
      ExportType: 'FULL_EXPORT',
      ClientToken: 'full-2026-11-23',
    });
  });

  test('an incremental export of the last whole hour: consecutive runs leave no gap, a repeated run asks again for the same', () => {
    const first = exportRequest(settings, { kind: 'incremental' }, NOW);
    expect(first.S3Prefix).toBe('incremental/clover-interim-us-records');
    expect(first.IncrementalExportSpecification).toEqual({
      ExportFromTime: Date.parse('2026-11-23T09:00:00Z') / 1000,
      ExportToTime: Date.parse('2026-11-23T10:00:00Z') / 1000,
      ExportViewType: 'NEW_IMAGE',
    });
    const next = exportRequest(settings, { kind: 'incremental' }, NOW + 3600);
    expect(next.IncrementalExportSpecification!.ExportFromTime).toBe(
      first.IncrementalExportSpecification!.ExportToTime,
    );
    expect(exportRequest(settings, { kind: 'incremental' }, NOW + 60).ClientToken).toBe(first.ClientToken);
  });

  test('refuses a window DynamoDB would refuse, and an unknown kind', () => {
    expect(() =>
      exportRequest(settings, { kind: 'incremental', exportFromTime: 0, exportToTime: 600 }, NOW),
    ).toThrow(/not 15 minutes to 24 hours/);
    expect(() =>
      exportRequest(settings, { kind: 'incremental', exportFromTime: NOW, exportToTime: NOW + 3600 }, NOW),
    ).toThrow(/after now/);
    expect(() => exportRequest(settings, { kind: 'weekly' }, NOW)).toThrow(/"weekly" is neither/);
    expect(() => exporterSettings({})).toThrow(/CLOVER_EXPORT_TABLE_ARN is not set/);
  });
});

const summary = (id: string, body: Record<string, unknown>, prefix = 'exports/t'): ExportSummary => {
  const parsed = parseExportSummary(
    `${prefix}/AWSDynamoDB/${id}/manifest-summary.json`,
    JSON.stringify({ manifestFilesS3Key: `${prefix}/AWSDynamoDB/${id}/manifest-files.json`, ...body }),
  );
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('applier plan', () => {
  const full1 = summary('f1', { exportType: 'FULL_EXPORT', exportTime: '2026-11-21T00:00:00Z' });
  const full2 = summary('f2', { exportType: 'FULL_EXPORT', exportTime: '2026-11-22T00:00:00Z' });
  const inc = (id: string, from: string, to: string) =>
    summary(
      id,
      { exportType: 'INCREMENTAL_EXPORT', exportFromTime: from, exportToTime: to },
      'incremental/t',
    );
  const before = inc('i0', '2026-11-21T23:00:00Z', '2026-11-22T00:00:00Z');
  const after1 = inc('i1', '2026-11-22T00:00:00Z', '2026-11-22T01:00:00Z');
  const after2 = inc('i2', '2026-11-22T01:00:00Z', '2026-11-22T02:00:00Z');

  test('loads the newest full export first, then the incremental exports that end after it, oldest first', () => {
    expect(exportsToApply([after2, full1, before, after1, full2], new Set()).map((s) => s.exportId)).toEqual([
      'f2',
      'i1',
      'i2',
    ]);
  });

  test('never loads a second full export over applied increments, and skips what is applied', () => {
    expect(
      exportsToApply([full1, full2, before, after1, after2], new Set(['f1', 'i0', 'i1'])).map(
        (s) => s.exportId,
      ),
    ).toEqual(['i2']);
    expect(exportsToApply([after1], new Set())).toEqual([]);
  });

  test('reads the write each exported line means', () => {
    const item = { pk: { S: 'user#1' }, sk: { S: 'profile' } };
    expect(writeOf(JSON.stringify({ Item: item }), 'full')).toEqual({ put: item });
    expect(
      writeOf(JSON.stringify({ Keys: item, NewImage: { ...item, a: { N: '1' } } }), 'incremental'),
    ).toEqual({
      put: { ...item, a: { N: '1' } },
    });
    expect(writeOf(JSON.stringify({ Keys: item }), 'incremental')).toEqual({ delete: item });
    expect(writeOf('{', 'full')).toBe('is not JSON');
  });

  test('refuses a summary that is not a DynamoDB JSON export', () => {
    expect(
      parseExportSummary('exports/t/AWSDynamoDB/x/manifest-summary.json', '{"outputFormat":"ION"}'),
    ).toMatch(/ION export; the applier reads DYNAMODB_JSON/);
    expect(
      parseExportSummary('exports/t/AWSDynamoDB/x/manifest-summary.json', '{"manifestFilesS3Key":"k"}'),
    ).toMatch(/gives no exportTime/);
  });
});
