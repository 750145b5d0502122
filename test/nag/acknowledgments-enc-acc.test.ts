import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge } from '../../lib/nag/acknowledge';
import { CloverChecks } from '../../lib/nag/clover-checks';

const TODAY = '2026-11-23';

/** A stack with one bucket on SSE-S3 (a CLV-ENC-1 finding), optionally acknowledged. */
function validate(expires?: string) {
  const app = new App();
  const stack = new Stack(app, 'Vault', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.Bucket(stack, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  if (expires) {
    acknowledge(bucket, {
      rule: 'CLV-ENC-1',
      reason: 'S3 server access logs can only be delivered to SSE-S3 buckets',
      expires,
    });
  }
  const pack = new CloverChecks(app, { today: TODAY });
  const report = pack.validateScope(app);
  return { pack, report, bucket };
}

const onBucket = (finding: { rule: string; path?: string }) =>
  finding.rule === 'CLV-ENC-1' && (finding.path ?? '').startsWith('Vault/AccessLogs/');

describe('acknowledging encryption and access findings', () => {
  test('without an acknowledgment, the SSE-S3 bucket is a CLV-ENC-1 error', () => {
    const { pack, report } = validate();
    expect(pack.findings.filter(onBucket)).toHaveLength(1);
    expect(report.success).toBe(false);
  });

  test('an acknowledgment with a future expiry moves the finding to pack.acknowledged', () => {
    const { pack, report } = validate('2027-01-31');
    expect(pack.findings.filter(onBucket)).toEqual([]);
    expect(pack.findings.filter((f) => f.rule === 'CLV-ENC-1')).toEqual([]);
    expect(pack.acknowledged).toEqual([
      {
        finding: expect.objectContaining({
          rule: 'CLV-ENC-1',
          resource: expect.stringMatching(/^AccessLogs/),
        }),
        acknowledgment: expect.objectContaining({
          rule: 'CLV-ENC-1',
          expires: '2027-01-31',
          path: 'Vault/AccessLogs',
        }),
      },
    ]);
    expect(report.violations.filter((v) => v.ruleName === 'CloverChecks-CLV-ENC-1')).toEqual([]);
  });

  test('an acknowledgment valid through today still holds', () => {
    expect(validate(TODAY).pack.findings.filter(onBucket)).toEqual([]);
  });

  test('an expired acknowledgment leaves the finding and adds an error naming the expiry', () => {
    const { pack, report } = validate('2026-11-22');
    expect(pack.findings.filter(onBucket)).toHaveLength(1);
    expect(pack.acknowledged).toEqual([]);
    const expired = pack.findings.filter((f) => f.rule === 'CLV-ENC-1' && f.resource === '');
    expect(expired).toEqual([
      expect.objectContaining({
        severity: 'error',
        path: 'Vault/AccessLogs',
        message: expect.stringMatching(/expired on 2026-11-22 \(today is 2026-11-23\)/),
      }),
    ]);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.description)).toContainEqual(
      expect.stringMatching(/expired on 2026-11-22/),
    );
  });

  test('acknowledging residency rule CLV-RES-5 throws', () => {
    const { bucket } = validate();
    expect(() =>
      acknowledge(bucket, {
        rule: 'CLV-RES-5',
        reason: 'a multi-Region key for disaster recovery',
        expires: '2027-01-31',
      }),
    ).toThrow(/CLV-RES-5 is a residency rule and can never be acknowledged/);
  });

  test('an acknowledgment without a real reason throws', () => {
    const { bucket } = validate();
    expect(() => acknowledge(bucket, { rule: 'CLV-ACC-1', reason: 'ok', expires: '2027-01-31' })).toThrow(
      /reason "ok" is too short/,
    );
  });
});
