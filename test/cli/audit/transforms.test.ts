import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { auditJson, FIXTURES, REPO } from './cli';

jest.setTimeout(120_000);

const DIRECTORY = `${FIXTURES}/directory`;

describe('clover audit on a directory of templates', () => {
  test.concurrent(
    'finds templates recursively, audits them with their transforms expanded, and exits 2 naming the broken file',
    async () => {
      const { code, report, stderr } = await auditJson([DIRECTORY, '--region', 'eu-west-1']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/1 input could not be read/);
      expect(stderr).toMatch(/directory\/nested\/broken\.json is not valid JSON/);
      const json = report as unknown as {
        inputErrors: Array<{ path: string; message: string }>;
        findings: Array<{ rule: string; stack: string; file: string | null; resource: string }>;
        inputs: Array<{ path: string; stacks: Array<{ transforms: string[] }> }>;
      };
      expect(json.inputErrors.map((problem) => problem.path)).toEqual([`${DIRECTORY}/nested/broken.json`]);
      // package.json and a Kubernetes manifest of two YAML documents have no Resources: not templates, not problems.
      expect(json.inputs.map((input) => [input.path, input.stacks[0].transforms])).toEqual([
        [`${DIRECTORY}/loops.yaml`, ['AWS::LanguageExtensions']],
        [`${DIRECTORY}/serverless.yaml`, ['AWS::Serverless-2016-10-31']],
      ]);
      // Each finding names its file; the loop's queues and the SAM resources are judged as deployed.
      const where = (rule: string) =>
        json.findings.filter((f) => f.rule === rule).map((f) => `${f.file}#${f.resource}`);
      expect(where('CLV-ENC-3')).toEqual([
        `${DIRECTORY}/loops.yaml#Queueinvoices`,
        `${DIRECTORY}/loops.yaml#Queueorders`,
      ]);
      expect(where('CLV-ENC-2')).toEqual([`${DIRECTORY}/serverless.yaml#Items`]);
      expect(where('CLV-ACC-5')).toEqual([`${DIRECTORY}/serverless.yaml#ServerlessRestApi`]);
      expect(where('CLV-RES-8')).toEqual([`${DIRECTORY}/serverless.yaml#ServerlessRestApi`]);
    },
  );
});

describe('transforms the audit cannot expand', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-macro-'));
    const compliant = JSON.parse(fs.readFileSync(path.join(REPO, FIXTURES, 'compliant.json'), 'utf8'));
    fs.writeFileSync(
      path.join(dir, 'macro.json'),
      JSON.stringify({ ...compliant, Transform: 'Acme::Expand' }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.concurrent(
    'warn that their resources are not judged; --fail-on incomplete makes that exit 1',
    async () => {
      const file = path.join(dir, 'macro.json');
      const lenient = await auditJson([file]);
      expect(lenient.code).toBe(0);
      expect(lenient.stderr).toMatch(/warning: .*macro\.json: transform Acme::Expand .* not judged/);
      expect(lenient.report!.summary).toMatchObject({ verdict: 'pass', errors: 0, incomplete: 1 });
      const strict = await auditJson([file, '--fail-on', 'incomplete']);
      expect(strict.code).toBe(1);
      expect(strict.report!.summary).toMatchObject({
        verdict: 'fail',
        errors: 0,
        warnings: 0,
        incomplete: 1,
      });
      expect((strict.report as unknown as { incomplete: { items: unknown[] } }).incomplete.items).toEqual([
        expect.objectContaining({ file, transform: 'Acme::Expand', resource: null }),
      ]);
    },
  );
});
