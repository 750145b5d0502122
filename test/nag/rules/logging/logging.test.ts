import { ENCLAVE_METADATA_KEY } from '../../../../lib/audit/template';
import { Finding } from '../../../../lib/audit/engine';
import { keepOnly, loggingVariant, MutableTemplate, props } from '../../../fixtures/logging/logging';
import { validateTemplate } from '../../../helpers/nag';

const run = (change?: (template: MutableTemplate) => void) =>
  validateTemplate(loggingVariant(change)).findings;
const of = (findings: readonly Finding[], rule: string) => findings.filter((f) => f.rule === rule);
const enclaveMetadata = (template: MutableTemplate) => {
  template.Metadata = { [ENCLAVE_METADATA_KEY]: { name: 'fixture', role: 'enclave' } };
};

describe('CLV-LOG rules on the compliant fixture', () => {
  const findings = run();
  test.each(['CLV-LOG-1', 'CLV-LOG-2', 'CLV-LOG-3', 'CLV-LOG-4', 'CLV-LOG-5'])('%s finds nothing', (rule) => {
    expect(of(findings, rule)).toEqual([]);
  });

  test('and still finds nothing when the template is a Clover enclave stack whose shipper covers every fixed name', () => {
    expect(of(run(enclaveMetadata), 'CLV-LOG-2')).toEqual([]);
  });
});

describe('CLV-LOG-1 enclave VPC flow logs', () => {
  test('rejects an enclave VPC without a flow log', () => {
    const found = of(
      run((t) => delete t.Resources.FlowLog),
      'CLV-LOG-1',
    );
    expect(found.map((f) => [f.resource, f.message])).toEqual([
      ['EnclaveVpc', 'enclave VPC EnclaveVpc has no VPC-level flow log'],
    ]);
  });

  test('rejects a flow log that records only rejected traffic', () => {
    const found = of(
      run((t) => (props(t, 'FlowLog').TrafficType = 'REJECT')),
      'CLV-LOG-1',
    );
    expect(found[0]?.message).toMatch(/records REJECT traffic to cloud-watch-logs; it needs TrafficType ALL/);
  });

  test('rejects an ALL-traffic flow log that goes to S3, where no shipper can read it', () => {
    const found = of(
      run((t) => {
        const flowLog = props(t, 'FlowLog');
        delete flowLog.LogGroupName;
        delete flowLog.DeliverLogsPermissionArn;
        flowLog.LogDestinationType = 's3';
        flowLog.LogDestination = 'arn:aws:s3:::fixture-flow-logs';
      }),
      'CLV-LOG-1',
    );
    expect(found[0]?.message).toMatch(/records ALL traffic to s3/);
  });

  test('does not count a subnet-level flow log as covering the VPC', () => {
    const found = of(
      run((t) => {
        t.Resources.Subnet = {
          Type: 'AWS::EC2::Subnet',
          Properties: { VpcId: { Ref: 'EnclaveVpc' }, CidrBlock: '10.10.0.0/24' },
        };
        Object.assign(props(t, 'FlowLog'), { ResourceType: 'Subnet', ResourceId: { Ref: 'Subnet' } });
      }),
      'CLV-LOG-1',
    );
    expect(found.map((f) => f.resource)).toEqual(['EnclaveVpc']);
  });

  test('exempts an inspection VPC that hosts the gateway load balancer', () => {
    const found = of(
      run((t) => {
        t.Resources.InspectionVpc = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '100.64.0.0/22' } };
        t.Resources.InspectionSubnet = {
          Type: 'AWS::EC2::Subnet',
          Properties: {
            VpcId: { Ref: 'InspectionVpc' },
            CidrBlock: '100.64.0.0/24',
            AvailabilityZone: 'eu-west-1a',
          },
        };
        t.Resources.Gwlb = {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: { Type: 'gateway', Subnets: [{ Ref: 'InspectionSubnet' }] },
        };
      }),
      'CLV-LOG-1',
    );
    expect(found).toEqual([]);
  });
});

describe('CLV-LOG-2 enclave log groups are shipped', () => {
  test('rejects a flow-log log group without a subscription', () => {
    const found = of(
      run((t) => delete t.Resources.FlowLogsSubscription),
      'CLV-LOG-2',
    );
    expect(found.map((f) => [f.resource, f.message])).toEqual([
      [
        'FlowLogGroup',
        'log group /clover/fixture/vpc-flow-logs (flow-log destination, Clover enclave log name) has no subscription to a shipper function',
      ],
    ]);
  });

  test('rejects a trail log group whose only subscription goes to a Kinesis stream, not a shipper', () => {
    const found = of(
      run(
        (t) =>
          (props(t, 'TrailSubscription').DestinationArn =
            'arn:aws:kinesis:eu-west-1:111111111111:stream/elsewhere'),
      ),
      'CLV-LOG-2',
    );
    expect(found[0]?.message).toMatch(
      /log group \/clover\/fixture\/cloudtrail \(trail destination.*subscriptions go elsewhere: TrailSubscription → arn:aws:kinesis/,
    );
  });

  test('recognises a gateway appliance log group by its name, subscribed by literal name', () => {
    const found = of(
      run((t) => delete t.Resources.ApplianceSubscription),
      'CLV-LOG-2',
    );
    expect(found.map((f) => f.resource)).toEqual(['ApplianceLogGroup']);
  });

  test('leaves log groups that carry no enclave flows alone', () => {
    const found = of(
      run((t) => {
        t.Resources.Misc = {
          Type: 'AWS::Logs::LogGroup',
          Properties: { LogGroupName: '/app/misc', RetentionInDays: 30 },
        };
      }),
      'CLV-LOG-2',
    );
    expect(found).toEqual([]);
  });

  test('in a Clover enclave stack without a shipper, leaves the fixed names to the Logging stack', () => {
    const found = of(
      run((t) => {
        enclaveMetadata(t);
        keepOnly(t, ['LogKey', 'EnclaveVpc', 'FlowLogGroup', 'FlowLog', 'ApplianceLogGroup']);
      }),
      'CLV-LOG-2',
    );
    expect(found).toEqual([]);
  });

  test('without Clover metadata, the same unsubscribed log groups are findings', () => {
    const found = of(
      run((t) => keepOnly(t, ['LogKey', 'EnclaveVpc', 'FlowLogGroup', 'FlowLog', 'ApplianceLogGroup'])),
      'CLV-LOG-2',
    );
    expect(found.map((f) => f.resource).sort()).toEqual(['ApplianceLogGroup', 'FlowLogGroup']);
  });

  test('rejects the shipper of a Clover enclave stack that does not subscribe to every fixed enclave log name', () => {
    const found = of(
      run((t) => {
        enclaveMetadata(t);
        delete t.Resources.ApplianceSubscription;
        delete t.Resources.ApplianceLogGroup;
      }),
      'CLV-LOG-2',
    );
    expect(found.map((f) => [f.resource, f.message])).toEqual([
      [
        'Shipper',
        'shipper Shipper of enclave fixture has no subscription to log group /clover/fixture/gateway-appliance',
      ],
    ]);
  });
});

describe('CLV-LOG-3 shipper failure handling', () => {
  test('rejects a shipper without an OnFailure destination or a dead-letter queue', () => {
    const found = of(
      run((t) => delete t.Resources.ShipperInvokeConfig),
      'CLV-LOG-3',
    );
    expect(found.map((f) => [f.resource, f.message])).toEqual([
      [
        'Shipper',
        'shipper Shipper (receives /clover/fixture/vpc-flow-logs, /clover/fixture/gateway-appliance, /clover/fixture/cloudtrail) has no OnFailure destination and no DeadLetterConfig',
      ],
    ]);
  });

  test('accepts a shipper with a dead-letter queue instead', () => {
    const found = of(
      run((t) => {
        delete t.Resources.ShipperInvokeConfig;
        props(t, 'Shipper').DeadLetterConfig = { TargetArn: { 'Fn::GetAtt': ['FailedInvocations', 'Arn'] } };
      }),
      'CLV-LOG-3',
    );
    expect(found).toEqual([]);
  });

  test('rejects an invoke config whose destination config has only OnSuccess', () => {
    const found = of(
      run((t) => {
        props(t, 'ShipperInvokeConfig').DestinationConfig = {
          OnSuccess: { Destination: { 'Fn::GetAtt': ['FailedInvocations', 'Arn'] } },
        };
      }),
      'CLV-LOG-3',
    );
    expect(found.map((f) => f.resource)).toEqual(['Shipper']);
  });

  test('leaves functions that no subscription invokes alone', () => {
    const found = of(
      run((t) => {
        t.Resources.Other = { ...structuredClone(t.Resources.Shipper) };
      }),
      'CLV-LOG-3',
    );
    expect(found).toEqual([]);
  });
});

describe('CLV-LOG-4 trail log file validation', () => {
  test.each([
    ['false', false],
    ['the string "false"', 'false'],
  ])('rejects a trail with EnableLogFileValidation %s', (_label, value) => {
    const found = of(
      run((t) => (props(t, 'Trail').EnableLogFileValidation = value)),
      'CLV-LOG-4',
    );
    expect(found.map((f) => f.resource)).toEqual(['Trail']);
  });

  test('rejects a trail that leaves EnableLogFileValidation out', () => {
    const found = of(
      run((t) => delete props(t, 'Trail').EnableLogFileValidation),
      'CLV-LOG-4',
    );
    expect(found[0]?.message).toBe('trail Trail has EnableLogFileValidation "absent"');
  });

  test('accepts the string "true"', () => {
    expect(
      of(
        run((t) => (props(t, 'Trail').EnableLogFileValidation = 'true')),
        'CLV-LOG-4',
      ),
    ).toEqual([]);
  });
});

describe('CLV-LOG-5 log group retention', () => {
  test('rejects a log group kept forever', () => {
    const found = of(
      run((t) => delete props(t, 'TrailLogGroup').RetentionInDays),
      'CLV-LOG-5',
    );
    expect(found.map((f) => [f.resource, f.message])).toEqual([
      ['TrailLogGroup', 'log group /clover/fixture/cloudtrail has no RetentionInDays'],
    ]);
  });
});
