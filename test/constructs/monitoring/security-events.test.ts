import {
  securityEventCategories,
  SecurityEventCategory,
} from '../../../lib/constructs/monitoring/security-events';
import { matches } from './event-pattern';

const categories = securityEventCategories({
  enclaves: ['dublin-1', 'hamar'],
  blockedJurisdictions: ['CN', 'RU'],
});
const category = (id: string): SecurityEventCategory => categories.find((c) => c.id === id)!;
/** Ids of the categories that select an event. */
const selectedBy = (event: Record<string, unknown>) =>
  categories.filter((c) => matches(c.pattern, event)).map((c) => c.id);

const apiCall = (source: string, detail: Record<string, unknown>) => ({
  source,
  'detail-type': 'AWS API Call via CloudTrail',
  account: '111111111111',
  detail,
});
const role = (name: string) => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::111111111111:assumed-role/${name}/session`,
  sessionContext: {
    sessionIssuer: { type: 'Role', userName: name, arn: `arn:aws:iam::111111111111:role/${name}` },
  },
});
const decrypt = (identity: Record<string, unknown>, encryptionContext: Record<string, string>) =>
  apiCall('aws.kms', {
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    userIdentity: identity,
    requestParameters: { encryptionContext, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
  });
const personalObject = {
  'aws:s3:arn': 'arn:aws:s3:::clover-dublin-1-personal-111111111111-eu-west-1/users/1.json',
};
const assumeRole = (roleName: string, extra: Record<string, unknown> = {}) =>
  apiCall('aws.sts', {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    userIdentity: { type: 'IAMUser', userName: 'someone' },
    requestParameters: {
      roleArn: `arn:aws:iam::111111111111:role/${roleName}`,
      roleSessionName: 's',
      ...extra,
    },
  });
const alarm = (name: string, value: string) => ({
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  detail: { alarmName: name, state: { value } },
});

describe('user-data decrypts', () => {
  test('alert when a role other than the approved ones decrypts an object of a Clover bucket', () => {
    expect(selectedBy(decrypt(role('orders-app'), personalObject))).toEqual(['UserDataDecrypt']);
  });
  test('alert when an IAM user decrypts any DynamoDB table of an enclave account', () => {
    expect(
      selectedBy(decrypt({ type: 'IAMUser', userName: 'bob' }, { 'aws:dynamodb:tableName': 'Table1' })),
    ).toContain('UserDataDecrypt');
  });
  test('stay quiet for approved-employee and replication roles, and for buckets that are not Clover data stores', () => {
    expect(selectedBy(decrypt(role('clover-dublin-1-approved-employee'), personalObject))).toEqual([]);
    expect(selectedBy(decrypt(role('clover-hamar-s3-replication'), personalObject))).toEqual([]);
    expect(selectedBy(decrypt(role('orders-app'), { 'aws:s3:arn': 'arn:aws:s3:::other-bucket/x' }))).toEqual(
      [],
    );
  });
  test('need read-only management events on the enclave default bus (Decrypt is one)', () => {
    expect(category('UserDataDecrypt').readOnlyManagementEvents).toBe(true);
  });
});

describe('break-glass use', () => {
  test('alerts on assuming a break-glass role and on every call of a break-glass session', () => {
    expect(selectedBy(assumeRole('clover-hamar-break-glass'))).toContain('BreakGlassUse');
    const call = apiCall('aws.s3', {
      eventName: 'GetObject',
      userIdentity: role('clover-dublin-1-break-glass'),
    });
    expect(selectedBy(call)).toEqual(['BreakGlassUse']);
  });
  test('ignores other roles', () => {
    expect(
      selectedBy(apiCall('aws.s3', { eventName: 'GetObject', userIdentity: role('orders-app') })),
    ).toEqual([]);
  });
});

describe('jurisdiction', () => {
  const tag = (value: string) => ({
    tags: [
      { key: 'clover:employee-jurisdiction', value },
      { key: 'clover:approved', value: 'true' },
    ],
  });
  test('alerts on an approved-employee session tagged with a blocked jurisdiction', () => {
    expect(selectedBy(assumeRole('clover-dublin-1-approved-employee', tag('CN')))).toEqual([
      'JurisdictionViolation',
    ]);
  });
  test('alerts on an approved-employee session without session tags', () => {
    expect(selectedBy(assumeRole('clover-dublin-1-approved-employee'))).toEqual(['JurisdictionViolation']);
  });
  test('alerts on any AccessDenied', () => {
    const denied = apiCall('aws.s3', {
      eventName: 'GetObject',
      errorCode: 'AccessDenied',
      userIdentity: role('orders-app'),
    });
    expect(selectedBy(denied)).toEqual(['JurisdictionViolation']);
  });
  test('stays quiet for a session from an allowed jurisdiction', () => {
    expect(selectedBy(assumeRole('clover-dublin-1-approved-employee', tag('EU')))).toEqual([]);
  });
});

describe('control-plane changes', () => {
  test.each([
    ['aws.ec2', 'ec2.amazonaws.com', 'ReplaceRoute'],
    ['aws.ec2', 'ec2.amazonaws.com', 'DeleteFlowLogs'],
    ['aws.ec2', 'ec2.amazonaws.com', 'AttachInternetGateway'],
    ['aws.cloudtrail', 'cloudtrail.amazonaws.com', 'StopLogging'],
    ['aws.kms', 'kms.amazonaws.com', 'ScheduleKeyDeletion'],
    ['aws.logs', 'logs.amazonaws.com', 'DeleteSubscriptionFilter'],
    ['aws.organizations', 'organizations.amazonaws.com', 'DetachPolicy'],
  ])('alerts on %s (%s) %s', (source, eventSource, eventName) => {
    expect(selectedBy(apiCall(source, { eventSource, eventName, userIdentity: role('ops') }))).toEqual([
      'ControlPlaneChange',
    ]);
  });
  test('ignores reads', () => {
    const read = apiCall('aws.ec2', {
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeRouteTables',
      userIdentity: role('ops'),
    });
    expect(selectedBy(read)).toEqual([]);
  });
});

describe('alarms', () => {
  test('an S3 data-access anomaly alarm entering ALARM is a DataAccessAnomaly, not when it recovers', () => {
    expect(selectedBy(alarm('clover-hamar-s3-data-access-anomaly', 'ALARM'))).toEqual(['DataAccessAnomaly']);
    expect(selectedBy(alarm('clover-hamar-s3-data-access-anomaly', 'OK'))).toEqual([]);
  });
  test('a shipper dead-letter alarm is a DeliveryFailure', () => {
    expect(selectedBy(alarm('clover-hamar-log-shipper-dead-lettered', 'ALARM'))).toEqual(['DeliveryFailure']);
  });
});

test('no pattern names a partition or an amazonaws.com host (templates stay partition-aware)', () => {
  const text = JSON.stringify(categories.map((c) => c.pattern));
  expect(text).not.toMatch(/arn:aws:|amazonaws\.com/);
});

describe('the monitoring bus: every enclave by Clover’s role naming pattern', () => {
  const everyEnclave = securityEventCategories({ blockedJurisdictions: ['CN', 'RU'] });
  const selected = (event: Record<string, unknown>) =>
    everyEnclave.filter((c) => matches(c.pattern, event)).map((c) => c.id);

  test('stays quiet for the approved-employee and replication roles of any enclave', () => {
    expect(selected(decrypt(role('clover-enclave-256-approved-employee'), personalObject))).toEqual([]);
    expect(selected(decrypt(role('clover-paris-7-s3-replication'), personalObject))).toEqual([]);
  });
  test('alerts on any other decrypting role, the break-glass role of any enclave and blocked sessions', () => {
    expect(selected(decrypt(role('orders-app'), personalObject))).toEqual(['UserDataDecrypt']);
    expect(selected(assumeRole('clover-enclave-256-break-glass'))).toContain('BreakGlassUse');
    expect(
      selected(
        assumeRole('clover-milan-approved-employee', {
          tags: [{ key: 'clover:employee-jurisdiction', value: 'RU' }],
        }),
      ),
    ).toEqual(['JurisdictionViolation']);
  });
  test('every pattern stays under EventBridge’s 2,048-character limit, and as long however many enclaves there are', () => {
    const many = Array.from({ length: 256 }, (_, i) => `enclave-${i}`);
    const lengths = (list: readonly SecurityEventCategory[]) =>
      list.map((c) => JSON.stringify(c.pattern).length);
    expect(Math.max(...lengths(everyEnclave))).toBeLessThanOrEqual(2048);
    // An enclave's own rules name its roles only, so they do not grow with the organisation either.
    const own = securityEventCategories({ enclaves: ['enclave-255'], blockedJurisdictions: ['CN', 'RU'] });
    expect(Math.max(...lengths(own))).toBeLessThanOrEqual(2048);
    expect(
      lengths(securityEventCategories({ enclaves: many, blockedJurisdictions: ['CN', 'RU'] })).some(
        (n) => n > 2048,
      ),
    ).toBe(true);
  });
});
