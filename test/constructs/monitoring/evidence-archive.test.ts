import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EvidenceArchive } from '../../../lib/constructs/monitoring/evidence-archive';
import { SecurityEventBus } from '../../../lib/constructs/monitoring/security-event-bus';

const stack = () =>
  new Stack(new App(), 'Monitoring', { env: { account: '444444444444', region: 'eu-west-1' } });

describe('EvidenceArchive', () => {
  test('rejects an archive without writers, and a retention that is not a positive number of days', () => {
    expect(
      () => new EvidenceArchive(stack(), 'A', { writers: [], retentionDays: 365, readerRoleName: 'r' }),
    ).toThrow(/needs at least one enclave writer/);
    expect(
      () =>
        new EvidenceArchive(stack(), 'A', {
          writers: [{ name: 'x', account: '111111111111' }],
          retentionDays: 0,
          readerRoleName: 'r',
        }),
    ).toThrow(/retentionDays 0 is not a positive whole number of days; set monitoring.archiveRetentionDays/);
  });

  test('expires a version the day after its lock ends, so evidence is kept exactly as long as configured', () => {
    const s = stack();
    new EvidenceArchive(s, 'A', {
      writers: [{ name: 'x', account: '111111111111' }],
      retentionDays: 30,
      readerRoleName: 'r',
    });
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'ExpireAfterRetention',
            ExpirationInDays: 31,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            Status: 'Enabled',
            ExpiredObjectDeleteMarker: false,
          },
        ],
      },
    });
  });
});

describe('SecurityEventBus', () => {
  test('rejects a bus that nobody may send to', () => {
    const s = stack();
    expect(
      () =>
        new SecurityEventBus(s, 'B', {
          senderAccounts: [],
          categories: [],
          encryptionKey: new kms.Key(s, 'K'),
        }),
    ).toThrow(/needs at least one sender account/);
  });

  test('names each sender account once, even when two enclaves share an account', () => {
    const s = stack();
    new SecurityEventBus(s, 'B', {
      senderAccounts: ['111111111111', '111111111111', '222222222222'],
      categories: [],
      encryptionKey: new kms.Key(s, 'K'),
    });
    const policy = Template.fromStack(s).findResources('AWS::Events::EventBusPolicy');
    const principals = JSON.stringify(Object.values(policy)[0].Properties.Statement.Principal);
    expect(principals.match(/:iam::\d{12}:root/g)).toEqual([
      ':iam::111111111111:root',
      ':iam::222222222222:root',
    ]);
  });
});
