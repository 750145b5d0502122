import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { deployOrderProblems } from '../../lib/app/assembly-plan';
import type { PlanJson } from '../../lib/audit/deploy';
import { clover, CliResult } from './audit/cli';

jest.setTimeout(240_000);

/** Bidirectional replication between two enclaves, synthesized once by `clover plan -o`. */
const CONFIG = 'test/fixtures/plan/cycle.json';
let dir: string;
let outdir: string;
let planned: CliResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-plan-cycle-'));
  outdir = path.join(dir, 'cdk.out');
  planned = await clover(['plan', '-c', `config=${CONFIG}`, '-o', outdir]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CLOSING = [
  /dublin-1\/Data needs dublin-2\/Data: VaultBucketspersonal\w+\.ReplicationConfiguration\.Rules\[0\]\.Destination\.Bucket names S3 bucket clover-dublin-2-personal-222222222222-eu-west-1/,
  /dublin-2\/Data needs dublin-1\/Data: VaultBucketspersonal\w+\.ReplicationConfiguration\.Rules\[0\]\.Destination\.Bucket names S3 bucket clover-dublin-1-personal-111111111111-eu-west-1/,
];

describe('a config whose references form a cycle', () => {
  test('clover plan exits 1, naming the references that close the cycle and the two-step deploy', () => {
    expect(planned.code).toBe(1);
    expect(planned.stdout).toMatch(
      /stages dublin-1, dublin-2 need each other, so no order deploys them \(a cycle\)/,
    );
    for (const reference of CLOSING) expect(planned.stdout).toMatch(reference);
    expect(planned.stdout).toMatch(
      /fix: deploy in two steps: first without dublin-2's references to dublin-1 .*leave that replication pair out of the config\), which deploys dublin-2 before dublin-1; then with them, deploying dublin-2 again/,
    );
  });

  test('clover plan <cdk.out> --format json exits 1 with no waves and the cycle', async () => {
    const json = await clover(['plan', outdir, '--format', 'json']);
    expect(json.code).toBe(1);
    const plan = JSON.parse(json.stdout) as PlanJson;
    expect(plan.waves).toEqual([]);
    expect(plan.cycles?.map((cycle) => cycle.stages)).toEqual([['dublin-1', 'dublin-2']]);
  });

  test('the synth gate fails on it with the same message (what npx cdk synth prints)', () => {
    const problems = deployOrderProblems(new CloudAssembly(outdir));
    expect(problems).toBeDefined();
    for (const reference of CLOSING) expect(problems).toMatch(reference);
  });
});
