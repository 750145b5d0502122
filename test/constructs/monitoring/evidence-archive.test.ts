import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EvidenceArchive } from '../../../lib/constructs/monitoring/evidence-archive';
import { SecurityEventBus } from '../../../lib/constructs/monitoring/security-event-bus';

const stack = () =>
  new Stack(new App(), 'Monitoring', { env: { account: '444444444444', region: 'eu-west-1' } });

describe('EvidenceArchive', () => {
  test('rejects an archive without writers, and a retention that is not a positive number of days', () => {
    expect(
      () =>
        new EvidenceArchive(stack(), 'A', {
          writers: [],
          retention: Duration.days(365),
          readerRoleName: 'r',
        }),
    ).toThrow(/needs at least one enclave writer/);
    expect(
      () =>
        new EvidenceArchive(stack(), 'A', {
          writers: [{ name: 'x', account: '111111111111' }],
          retention: Duration.days(0),
          readerRoleName: 'r',
        }),
    ).toThrow(/retention 0 days is not a positive whole number of days; set monitoring.archiveRetentionDays/);
  });

  test('expires a version the day after its lock ends, so evidence is kept exactly as long as configured', () => {
    const s = stack();
    new EvidenceArchive(s, 'A', {
      writers: [{ name: 'x', account: '111111111111' }],
      retention: Duration.days(30),
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
            // S3 answers MalformedXML to ExpiredObjectDeleteMarker (even false) beside ExpirationInDays.
            ExpiredObjectDeleteMarker: Match.absent(),
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
          senderRoleArns: [],
          categories: [],
          encryptionKey: new kms.Key(s, 'K'),
        }),
    ).toThrow(/needs at least one sender role/);
  });

  test('admits only the forwarding roles: each account once, narrowed to the role ARNs', () => {
    const s = stack();
    const roles = [
      'arn:aws:iam::111111111111:role/clover-a-security-event-forwarder',
      'arn:aws:iam::111111111111:role/clover-b-security-event-forwarder',
      'arn:aws:iam::222222222222:role/clover-c-security-event-forwarder',
    ];
    new SecurityEventBus(s, 'B', {
      senderRoleArns: roles,
      categories: [],
      encryptionKey: new kms.Key(s, 'K'),
    });
    const policy = Template.fromStack(s).findResources('AWS::Events::EventBusPolicy');
    const statement = Object.values(policy)[0].Properties.Statement;
    expect(JSON.stringify(statement.Principal).match(/:iam::\d{12}:root/g)).toEqual([
      ':iam::111111111111:root',
      ':iam::222222222222:root',
    ]);
    expect(statement.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': roles } });
  });
});
