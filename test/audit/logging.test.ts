import { analyseLogging, formatLogCoverage, shippedNames } from '../../lib/audit/logging';
import { ENCLAVE_METADATA_KEY } from '../../lib/audit/template';
import { keepOnly, loggingVariant, props } from '../fixtures/logging/logging';
import { indexOf } from '../helpers/nag';

describe('analyseLogging', () => {
  const index = indexOf(loggingVariant());
  const analysis = analyseLogging(index);

  test('computes once per index', () => {
    expect(analyseLogging(index)).toBe(analysis);
  });

  test('reads log groups with retention, key, why they are enclave log groups, and their subscriptions', () => {
    expect(analysis.logGroup('FlowLogGroup')).toMatchObject({
      name: '/clover/fixture/vpc-flow-logs',
      retentionDays: 365,
      kmsKey: { 'Fn::GetAtt': ['LogKey', 'Arn'] },
      enclaveReasons: ['flow-log destination', 'Clover enclave log name'],
      subscriptions: [{ logicalId: 'FlowLogsSubscription', functionId: 'Shipper', toFunction: true }],
    });
    expect(analysis.logGroup('TrailLogGroup')?.enclaveReasons).toEqual([
      'trail destination',
      'Clover enclave log name',
    ]);
    expect(analysis.logGroup('ApplianceLogGroup')?.enclaveReasons).toEqual([
      'gateway appliance log',
      'Clover enclave log name',
    ]);
    // Subscribed by literal name, matched to the log group of that name.
    expect(analysis.logGroup('ApplianceLogGroup')?.subscriptions.map((s) => s.logicalId)).toEqual([
      'ApplianceSubscription',
    ]);
  });

  test('describes each shipper with its log groups and failure handling', () => {
    expect(analysis.shippers).toEqual([
      {
        logicalId: 'Shipper',
        functionName: undefined,
        onFailure: 'FailedInvocations (in this template)',
        deadLetter: undefined,
        reservedConcurrency: 5,
        logGroups: [
          '/clover/fixture/vpc-flow-logs',
          '/clover/fixture/gateway-appliance',
          '/clover/fixture/cloudtrail',
        ],
      },
    ]);
    expect([...shippedNames(analysis)].sort()).toEqual([
      '/clover/fixture/cloudtrail',
      '/clover/fixture/gateway-appliance',
      '/clover/fixture/vpc-flow-logs',
    ]);
  });

  test('reads VPC flow logs and trails', () => {
    expect(analysis.vpc('EnclaveVpc')).toMatchObject({ role: 'enclave', capturesAllToLogs: true });
    expect(analysis.trails).toEqual([
      { logicalId: 'Trail', logFileValidation: true, logGroupId: 'TrailLogGroup', logGroupArn: undefined },
    ]);
  });

  test('follows flow-log destinations given as a literal log group ARN and trail log groups outside the template', () => {
    const other = analyseLogging(
      indexOf(
        loggingVariant((t) => {
          const flowLog = props(t, 'FlowLog');
          delete flowLog.LogGroupName;
          flowLog.LogDestination =
            'arn:aws:logs:eu-west-1:111111111111:log-group:/clover/fixture/vpc-flow-logs:*';
          props(t, 'Trail').CloudWatchLogsLogGroupArn =
            'arn:aws:logs:eu-west-1:111111111111:log-group:/elsewhere:*';
        }),
      ),
    );
    expect(other.flowLogs[0]).toMatchObject({ logGroupId: 'FlowLogGroup', trafficType: 'ALL' });
    expect(other.trails[0]).toMatchObject({
      logGroupId: undefined,
      logGroupArn: expect.stringContaining('/elsewhere'),
    });
    expect(other.logGroup('TrailLogGroup')?.enclaveReasons).toEqual(['Clover enclave log name']);
  });

  test('lists log groups that a template subscribes by name only (created in another stack)', () => {
    const logging = analyseLogging(
      indexOf(
        loggingVariant((t) => {
          delete t.Resources.ApplianceLogGroup;
          t.Metadata = { [ENCLAVE_METADATA_KEY]: { name: 'fixture', role: 'enclave' } };
        }),
      ),
    );
    expect(logging.logGroups.find((g) => g.logicalId === undefined)).toMatchObject({
      name: '/clover/fixture/gateway-appliance',
      enclaveReasons: ['Clover enclave log name'],
      subscribedByName: false,
    });
    expect(logging.enclaveLogNames).toEqual([
      '/clover/fixture/vpc-flow-logs',
      '/clover/fixture/gateway-appliance',
      '/clover/fixture/cloudtrail',
    ]);
  });

  test('marks fixed enclave names as subscribed by name only in a Clover enclave stack without a shipper', () => {
    const network = analyseLogging(
      indexOf(
        loggingVariant((t) => {
          t.Metadata = { [ENCLAVE_METADATA_KEY]: { name: 'fixture', role: 'enclave' } };
          keepOnly(t, ['EnclaveVpc', 'FlowLogGroup', 'FlowLog']);
        }),
      ),
    );
    expect(network.logGroup('FlowLogGroup')?.subscribedByName).toBe(true);
    const bare = analyseLogging(
      indexOf(loggingVariant((t) => keepOnly(t, ['EnclaveVpc', 'FlowLogGroup', 'FlowLog']))),
    );
    expect(bare.logGroup('FlowLogGroup')?.subscribedByName).toBe(false);
  });
});

describe('formatLogCoverage', () => {
  test('says per log group whether and by which shipper it is shipped, and with what failure handling', () => {
    const lines = formatLogCoverage(
      analyseLogging(
        indexOf(
          loggingVariant((t) => {
            delete t.Resources.TrailSubscription;
            delete props(t, 'TrailLogGroup').RetentionInDays;
          }),
        ),
      ),
    );
    expect(lines).toContain(
      'log group /clover/fixture/vpc-flow-logs [enclave: flow-log destination, Clover enclave log name], retention 365 days, KMS key LogKey (in this template): shipped by Shipper (OnFailure FailedInvocations (in this template))',
    );
    expect(lines).toContain(
      'log group /clover/fixture/cloudtrail [enclave: trail destination, Clover enclave log name], no retention (kept forever), KMS key LogKey (in this template): not shipped',
    );
    expect(lines).toContain('VPC EnclaveVpc (enclave): FlowLog ALL → FlowLogGroup');
    expect(lines).toContain('trail Trail: log file validation on, CloudWatch Logs TrailLogGroup');
  });
});
