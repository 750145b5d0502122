import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../lib/config';
import { MonitoringStack } from '../../lib/stacks/monitoring-stack';

/** A validated config of `count` enclaves (one account and /16 each) in an organisation. */
function organisationConfig(count: number) {
  return validateConfig(
    {
      enclaves: Array.from({ length: count }, (_, i) => ({
        name: `enclave-${i + 1}`,
        account: String(100_000_000_001 + i),
        region: ['eu-west-1', 'eu-central-1', 'eu-north-1'][i % 3],
        cidr: `10.${i}.0.0/16`,
      })),
      monitoring: {
        account: '444444444444',
        region: 'eu-west-1',
        ingestUrl: 'https://ingest.monitor.example.eu/v1/events',
      },
      guardrails: {
        managementAccount: '555555555555',
        organization: { id: 'o-a1b2c3d4e5', enclaveOus: ['ou-ab12-cdef3456'] },
      },
    },
    { today: '2026-11-23', source: 'test' },
  );
}

function monitoringTemplate(count: number) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new MonitoringStack(app, 'Monitoring', {
    env: { account: '444444444444', region: 'eu-west-1' },
    config: organisationConfig(count),
    enclave: { name: 'monitoring', role: 'monitoring' },
    dataClassification: 'security-evidence',
  });
  return Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
}

const ofType = (template: ReturnType<typeof monitoringTemplate>, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const enclaveAccounts = /1000000000\d\d/;
/** The bucket policy that holds the statement `sid`. */
const withStatement = (template: ReturnType<typeof monitoringTemplate>, sid: string) =>
  ofType(template, 'AWS::S3::BucketPolicy').find(([, r]) =>
    JSON.stringify(r.Properties.PolicyDocument).includes(`"Sid":"${sid}"`),
  )!;

describe('the monitoring plane of an organisation', () => {
  const few = monitoringTemplate(3);
  const many = monitoringTemplate(200);

  test('names no enclave account in any policy: grants go to the enclave OUs and Clover role names', () => {
    const policies = [
      ...ofType(many, 'AWS::S3::BucketPolicy').map(([, r]) => r.Properties.PolicyDocument),
      ...ofType(many, 'AWS::KMS::Key').map(([, r]) => r.Properties.KeyPolicy),
      ...ofType(many, 'AWS::Events::EventBusPolicy').map(([, r]) => r.Properties.Statement),
      ...ofType(many, 'AWS::IAM::Policy').map(([, r]) => r.Properties.PolicyDocument),
      ...ofType(many, 'AWS::IAM::ManagedPolicy').map(([, r]) => r.Properties.PolicyDocument),
    ];
    expect(JSON.stringify(policies)).not.toMatch(enclaveAccounts);
    expect(JSON.stringify(policies)).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
    expect(JSON.stringify(policies)).toContain('o-a1b2c3d4e5/*/ou-ab12-cdef3456/*');
  });

  test('keeps every policy the same size for 3 and for 200 enclaves', () => {
    const sizes = (template: ReturnType<typeof monitoringTemplate>) =>
      ['AWS::S3::BucketPolicy', 'AWS::KMS::Key', 'AWS::Events::EventBusPolicy', 'AWS::IAM::Policy'].map(
        (type) => ofType(template, type).map(([, r]) => JSON.stringify(r.Properties).length),
      );
    expect(sizes(many)).toEqual(sizes(few));
  });

  test('lets each shipper write only under the prefix of its own enclave tag, which its role name must carry', () => {
    const [, archivePolicy] = withStatement(many, 'ShippersWriteTheirEnclavePrefix');
    type Statement = { Sid?: string; Resource?: unknown; Condition: Record<string, unknown> };
    const statements = (archivePolicy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const write = statements.find((s) => s.Sid === 'ShippersWriteTheirEnclavePrefix')!;
    expect(JSON.stringify(write.Resource)).toContain(
      '/archive/${aws:PrincipalTag/clover:enclave}/${aws:PrincipalAccount}/*',
    );
    expect(JSON.stringify(write.Condition.ArnLike)).toContain(
      ':iam::*:role/clover-${aws:PrincipalTag/clover:enclave}-log-shipper',
    );
    expect(statements.find((s) => s.Sid === 'OnlyEnclaveAccountsWrite')!.Condition).toEqual({
      'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/*/ou-ab12-cdef3456/*'] },
    });
  });

  test('receives the baseline’s AWS Config deliveries in a bucket of its own, each account under its own prefix', () => {
    const [, configPolicy] = withStatement(many, 'RecordersDeliverTheirAccount');
    const text = JSON.stringify(configPolicy.Properties.PolicyDocument);
    expect(text).toContain('/AWSLogs/${aws:PrincipalAccount}/Config/*');
    expect(text).toContain(':iam::*:role/clover-config-recorder-*');
  });
});
