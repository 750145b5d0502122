import { ruleIds, validateTemplate } from '../../../helpers/nag';

const bucket = (properties: Record<string, unknown> = {}) => ({
  Resources: { Data: { Type: 'AWS::S3::Bucket', Properties: properties } },
});

describe('CLV-RES-1 stack region', () => {
  test('accepts a stack in an EU region', () => {
    expect(ruleIds(validateTemplate(bucket()).findings)).not.toContain('CLV-RES-1');
  });
  test('rejects a stack in us-east-1', () => {
    const { findings, report } = validateTemplate(bucket(), { region: 'us-east-1' });
    expect(ruleIds(findings)).toContain('CLV-RES-1');
    expect(report.violations.map((v) => v.ruleName)).toContain('CloverChecks-CLV-RES-1');
  });
});

describe('CLV-RES-2 literal regions', () => {
  test('accepts an ARN in the stack region', () => {
    const t = bucket({ NotificationConfiguration: { TopicConfigurations: [{ Topic: 'arn:aws:sns:eu-west-1:111111111111:t', Event: 's3:ObjectCreated:*' }] } });
    expect(ruleIds(validateTemplate(t).findings)).not.toContain('CLV-RES-2');
  });
  test('rejects an ARN in us-east-1', () => {
    const t = bucket({ NotificationConfiguration: { TopicConfigurations: [{ Topic: 'arn:aws:sns:us-east-1:111111111111:t', Event: 's3:ObjectCreated:*' }] } });
    const { findings } = validateTemplate(t);
    expect(findings.find((f) => f.rule === 'CLV-RES-2')?.message).toMatch(/us-east-1/);
  });
});
