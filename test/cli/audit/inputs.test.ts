import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AuditInputError } from '../../../cli/audit/errors';
import { inferRegion, loadInputs } from '../../../cli/audit/inputs';
import { parseEnvironment } from '../../../cli/audit/manifest';

const subnet = (zone: unknown) => ({ Type: 'AWS::EC2::Subnet', Properties: { AvailabilityZone: zone } });

describe('audit inputs', () => {
  test('infers a bare template’s region from the availability zones it places resources in', () => {
    const template = {
      Resources: {
        A: subnet('eu-north-1a'),
        B: subnet('eu-north-1b'),
        C: subnet({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }),
        D: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { AvailabilityZones: ['eu-north-1c'] } },
        // Other region names (ARNs, endpoints) say nothing about where the stack deploys.
        E: {
          Type: 'AWS::SNS::Subscription',
          Properties: { TopicArn: 'arn:aws:sns:us-east-1:111111111111:t' },
        },
      },
    };
    expect(inferRegion(template)).toEqual({
      regions: ['eu-north-1'],
      zones: ['eu-north-1a', 'eu-north-1b', 'eu-north-1c'],
    });
  });

  test('refuses to guess between availability zones of two regions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-inputs-'));
    try {
      const file = path.join(dir, 'two.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ Resources: { A: subnet('eu-west-1a'), B: subnet('eu-central-1a') } }),
      );
      expect(() => loadInputs([file])).toThrow(AuditInputError);
      expect(() => loadInputs([file])).toThrow(/several regions \(eu-central-1, eu-west-1\); pass --region/);
      expect(loadInputs([file], { region: 'eu-west-1' })[0].stacks[0]).toMatchObject({
        region: 'eu-west-1',
        regionSource: 'option',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('reads CDK environments, with unknown-account/unknown-region as agnostic', () => {
    expect(parseEnvironment('aws://111111111111/eu-west-1')).toEqual({
      account: '111111111111',
      region: 'eu-west-1',
    });
    expect(parseEnvironment('aws://unknown-account/unknown-region')).toEqual({
      account: undefined,
      region: undefined,
    });
    expect(parseEnvironment(undefined)).toEqual({});
  });

  test('names two stacks that share a file name by their paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-inputs-'));
    try {
      for (const sub of ['a', 'b']) {
        fs.mkdirSync(path.join(dir, sub));
        fs.writeFileSync(
          path.join(dir, sub, 'template.json'),
          JSON.stringify({ Resources: { A: subnet('eu-west-1a') } }),
        );
      }
      const inputs = loadInputs([path.join(dir, 'a', 'template.json'), path.join(dir, 'b', 'template.json')]);
      expect(inputs.map((input) => input.stacks[0].name)).toEqual([
        path.join(dir, 'a', 'template.json'),
        path.join(dir, 'b', 'template.json'),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
