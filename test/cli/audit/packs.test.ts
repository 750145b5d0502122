import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateTemplate } from '../../../bench/audit/generate-template';
import { auditJson, FIXTURES } from './cli';

jest.setTimeout(170_000);

describe('clover audit --with', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-packs-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.concurrent(
    'aws-solutions runs cdk-nag on a CfnInclude of a template above the 500-resource cap',
    async () => {
      const file = path.join(dir, 'large.json');
      const template = generateTemplate(600) as { Resources: Record<string, unknown> };
      // cdk-nag's EventBusOpenAccess rule reads a deprecated property: no jsii warning may reach stderr.
      template.Resources.OpenBusPolicy = {
        Type: 'AWS::Events::EventBusPolicy',
        Properties: {
          StatementId: 'open',
          Statement: { Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' },
        },
      };
      fs.writeFileSync(file, JSON.stringify(template));
      const { code, report, stderr } = await auditJson([file, '--with', 'aws-solutions']);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(report!.options.with).toEqual(['aws-solutions']);
      expect(report!.summary.resources).toBe(601);
      expect(report!.findings).toContainEqual(
        expect.objectContaining({ rule: 'AwsSolutions-EVB1', resource: 'OpenBusPolicy' }),
      );
      // The pack ran (no "could not run" finding) and kept cdk-nag's own rule IDs on logical IDs.
      expect(report!.findings.filter((f) => f.rule === 'AwsSolutions')).toEqual([]);
      expect(report!.findings).toContainEqual(
        expect.objectContaining({ rule: 'AwsSolutions-L1', severity: 'error', resource: 'Function00000' }),
      );
      // Besides CloverChecks' own findings (the open bus policy, 601 resources over CloudFormation's 500 per
      // stack), every finding is cdk-nag's.
      const own = report!.findings.filter((f) => !f.rule.startsWith('AwsSolutions-'));
      expect(own.map((f) => f.rule).sort()).toEqual(['CLV-ACC-2', 'CLV-LIM-2']);
      expect(own).toContainEqual(expect.objectContaining({ rule: 'CLV-ACC-2', resource: 'OpenBusPolicy' }));
    },
  );

  test.concurrent(
    'aws-solutions honours Clover acknowledgments of AwsSolutions rules recorded in a cdk.out',
    async () => {
      const { code, report } = await auditJson([
        `${FIXTURES}/assembly`,
        '--region',
        'eu-west-1',
        '--with',
        'aws-solutions',
      ]);
      expect(code).toBe(1);
      const s1 = report!.findings.filter((f) => f.rule === 'AwsSolutions-S1');
      expect(s1.map((f) => [f.resource, f.path])).toEqual([['OpenBucket', 'eu/Data/OpenBucket/Resource']]);
      expect(report!.acknowledgments.items).toContainEqual(
        expect.objectContaining({ rule: 'AwsSolutions-S1', status: 'active', resources: ['WaivedBucket'] }),
      );
    },
  );

  test.concurrent(
    'control-tower runs the bundled cfn-guard Control Tower rules and reports control IDs, placed for a relative path',
    async () => {
      // A relative path on purpose: cfn-guard reports absolute paths, which Clover must map back to the input.
      const { code, report } = await auditJson([
        'test/fixtures/audit/compliant.json',
        '--with',
        'control-tower',
      ]);
      expect(code).toBe(1);
      const bucketControls = report!.findings.filter((f) => f.resource === 'Bucket').map((f) => f.rule);
      // CT.S3.PR.2 (server access logging) passes: the fixture's bucket logs, as CLV-LOG-8 requires.
      expect(bucketControls).toContain('CT.S3.PR.4');
      expect(bucketControls).not.toContain('CT.S3.PR.2');
      expect(report!.findings.every((f) => /^CT\.[A-Z0-9]+\.PR\.\d+$/.test(f.rule))).toBe(true);
      expect(report!.findings[0].message).toMatch(/\(guard rule [a-z0-9_]+\)$/);
    },
  );

  test.concurrent(
    'cfn-validate runs the CloudFormation Validate plugin; its warnings fail only with --fail-on warning',
    async () => {
      const { code, report } = await auditJson([
        `${FIXTURES}/compliant.yaml`,
        '--with',
        'cfn-validate',
        '--fail-on',
        'warning',
      ]);
      expect(code).toBe(1);
      expect(report!.summary).toMatchObject({ errors: 0, verdict: 'fail' });
      expect(report!.summary.warnings).toBeGreaterThan(0);
      // Hard-coded availability zones (cfn-lint W3010) on a subnet of the YAML template, converted to JSON for the plugin.
      expect(report!.findings).toContainEqual(
        expect.objectContaining({ rule: 'W3010', severity: 'warning', resource: 'WorkloadSubnetA' }),
      );
    },
  );
});
