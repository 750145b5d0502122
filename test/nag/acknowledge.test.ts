import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CloverRule, violations } from '../../lib/audit/rule';
import { acknowledge } from '../../lib/nag/acknowledge';
import { CloverChecks } from '../../lib/nag/clover-checks';

/** A waivable test rule: every S3 bucket is a finding. */
const EveryBucket: CloverRule = {
  id: 'CLV-ENC-99',
  family: 'ENC',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'Test rule.',
  explanation: 'Flags every bucket.',
  fix: 'None.',
  evaluate: () => violations(['bucket found']),
};

function appWithBucket() {
  const app = new App();
  const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  const bucket = new s3.CfnBucket(stack, 'Bucket');
  return { app, stack, bucket };
}

function validate(app: App, today: string) {
  const pack = new CloverChecks(app, { today, rules: [EveryBucket] });
  const report = pack.validateScope(app);
  return { pack, report };
}

describe('Clover acknowledgments', () => {
  const reason = 'Migration bucket, encrypted by the importer; removed after cut-over.';

  test('a valid acknowledgment waives the finding and is listed as acknowledged', () => {
    const { app, bucket } = appWithBucket();
    acknowledge(bucket, { rule: 'CLV-ENC-99', reason, expires: '2027-03-31' });
    const { pack, report } = validate(app, '2026-11-23');
    expect(pack.findings).toEqual([]);
    expect(report.success).toBe(true);
    expect(pack.acknowledged).toHaveLength(1);
    expect(pack.acknowledged[0].acknowledgment).toMatchObject({
      rule: 'CLV-ENC-99',
      expires: '2027-03-31',
      path: 'Data/Bucket',
    });
  });

  test('an acknowledgment on a parent construct covers the resources below it', () => {
    const { app, stack } = appWithBucket();
    acknowledge(stack, { rule: 'CLV-ENC-99', reason, expires: '2027-03-31' });
    expect(validate(app, '2026-11-23').pack.findings).toEqual([]);
  });

  test('an acknowledgment holds through its expiry day', () => {
    const { app, bucket } = appWithBucket();
    acknowledge(bucket, { rule: 'CLV-ENC-99', reason, expires: '2027-03-31' });
    expect(validate(app, '2027-03-31').report.success).toBe(true);
  });

  test('an expired acknowledgment waives nothing and is itself an error naming the expiry', () => {
    const { app, bucket } = appWithBucket();
    acknowledge(bucket, { rule: 'CLV-ENC-99', reason, expires: '2027-03-31' });
    const { pack, report } = validate(app, '2027-04-01');
    expect(report.success).toBe(false);
    expect(pack.findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        'bucket found',
        expect.stringMatching(/acknowledgment of CLV-ENC-99 expired on 2027-03-31 \(today is 2027-04-01\)/),
      ]),
    );
    expect(report.violations.map((v) => v.ruleName)).toContain('CloverChecks-CLV-ENC-99');
  });

  test('a residency rule can never be acknowledged', () => {
    const { bucket } = appWithBucket();
    expect(() => acknowledge(bucket, { rule: 'CLV-RES-5', reason, expires: '2027-03-31' })).toThrow(
      /CLV-RES-5 is a residency rule and can never be acknowledged/,
    );
  });

  test('rejects an acknowledgment without a reason or with a malformed expiry', () => {
    const { bucket } = appWithBucket();
    expect(() => acknowledge(bucket, { rule: 'CLV-ENC-99', reason: '', expires: '2027-03-31' })).toThrow(
      /reason "" is too short/,
    );
    expect(() => acknowledge(bucket, { rule: 'CLV-ENC-99', reason, expires: '31/03/2027' })).toThrow(
      /expires "31\/03\/2027" is not a date/,
    );
    expect(() => acknowledge(bucket, { rule: 'S1', reason, expires: '2027-03-31' })).toThrow(
      /is not a rule ID/,
    );
  });

  test('waives an AwsSolutions finding through CDK acknowledgments, and fails it once expired', () => {
    const { app, bucket } = appWithBucket();
    acknowledge(bucket, {
      rule: 'AwsSolutions-S1',
      reason: 'Access logs go to the central log archive bucket.',
      expires: '2027-03-31',
    });
    const nag = new AwsSolutionsChecks(app).validateScope(app);
    expect(nag.violations.map((v) => v.ruleName)).not.toContain('AwsSolutions-S1');
    // Only the acknowledged rule is waived.
    expect(nag.violations.map((v) => v.ruleName)).toContain('AwsSolutions-S10');
    const expired = validate(app, '2027-04-01');
    expect(expired.pack.findings.map((f) => f.rule)).toContain('AwsSolutions-S1');
    expect(expired.report.success).toBe(false);
  });

  test('records acknowledgments in cdk.out where clover audit can read them', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-ack-'));
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
      acknowledge(new s3.CfnBucket(stack, 'Bucket'), { rule: 'CLV-ENC-99', reason, expires: '2027-03-31' });
      app.synth();
      const metadata = JSON.parse(fs.readFileSync(path.join(outdir, 'Data.metadata.json'), 'utf8'));
      expect(metadata['/Data/Bucket']).toEqual(
        expect.arrayContaining([
          { type: 'clover:acknowledgment', data: { rule: 'CLV-ENC-99', reason, expires: '2027-03-31' } },
        ]),
      );
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('acknowledging other engines', () => {
  const reason = 'Real AZ names are required: Clover never looks AZs up at synth.';

  test('accepts Control Tower and cfn-lint rule IDs and records them for clover audit', () => {
    const { app, stack, bucket } = appWithBucket();
    acknowledge(bucket, { rule: 'CT.S3.PR.1', reason, expires: '2027-03-31' });
    acknowledge(stack, { rule: 'W3010', reason, expires: '2027-03-31' });
    const recorded = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'clover:acknowledgment'));
    expect(recorded.map((m) => (m.data as { rule: string }).rule).sort()).toEqual(['CT.S3.PR.1', 'W3010']);
  });

  test('hands cfn-lint IDs to CDK under the CloudFormation Validate namespace', () => {
    const { stack } = appWithBucket();
    acknowledge(stack, { rule: 'W3010', reason, expires: '2027-03-31' });
    const cdkAcks = stack.node.metadata
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .map((m) => Object.keys(m.data as object));
    expect(cdkAcks.flat()).toEqual(['CloudFormation-Validate::W3010']);
  });
});
