import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PlanJson } from '../../lib/audit/deploy';
import { clover, CliResult } from './audit/cli';

jest.setTimeout(240_000);

/** `clover plan` of the default, synthesizing the app once; its assembly is kept (-o) for the other tests. */
let dir: string;
let outdir: string;
let synthesized: CliResult;
let plan: PlanJson;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-plan-'));
  outdir = path.join(dir, 'cdk.out');
  synthesized = await clover(['plan', '-o', outdir, '--format', 'json']);
  plan = JSON.parse(synthesized.stdout) as PlanJson;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function waveOf(stage: string): number {
  const wave = plan.waves.find((candidate) => candidate.stages.some((s) => s.name === stage));
  if (!wave) throw new Error(`no wave deploys ${stage}`);
  return wave.index;
}

describe('clover plan on the default', () => {
  test('synthesizes the app offline and exits 0 with waves', () => {
    // The app's one line naming its config, and nothing else.
    expect(synthesized.stderr).toBe('Clover: embedded default config\n');
    expect(synthesized.code).toBe(0);
    expect(plan.waves.map((wave) => wave.index)).toEqual([1, 2, 3]);
  });

  test('puts the monitoring stage before every enclave, and dublin-2 (the replication destination) before dublin-1', () => {
    for (const enclave of ['dublin-1', 'dublin-2', 'hamar'])
      expect(waveOf('monitoring')).toBeLessThan(waveOf(enclave));
    expect(waveOf('dublin-2')).toBeLessThan(waveOf('dublin-1'));
    expect(plan.dependencies).toContainEqual({
      from: 'dublin-1/Data',
      to: 'dublin-2/Data',
      reference: expect.stringMatching(
        /^VaultBucketspersonal[0-9A-F]+\.ReplicationConfiguration\.Rules\[0\]\.Destination\.Bucket names S3 bucket clover-dublin-2-personal-222222222222-eu-west-1/,
      ),
    });
    expect(plan.dependencies.filter((d) => d.to === 'monitoring/Monitoring').map((d) => d.from)).toEqual(
      expect.arrayContaining(['dublin-1/Logging', 'dublin-2/Logging', 'hamar/Logging']),
    );
  });

  test('lists every stage with account, region and stacks in deploy order with resource counts', () => {
    const dublin1 = plan.waves.flatMap((wave) => wave.stages).find((stage) => stage.name === 'dublin-1')!;
    expect(dublin1.account).toBe('111111111111');
    expect(dublin1.region).toBe('eu-west-1');
    expect(dublin1.stacks.map((stack) => stack.name)).toEqual(['Network', 'Data', 'Access', 'Logging']);
    expect(dublin1.stacks.every((stack) => stack.resources > 0)).toBe(true);
    expect(Object.keys(plan).sort()).toEqual(['dependencies', 'prerequisites', 'waves']);
  });

  test('clover plan <cdk.out> gives the same plan as synthesizing', async () => {
    const fromAssembly = await clover(['plan', outdir, '--format', 'json']);
    expect(fromAssembly.code).toBe(0);
    expect(JSON.parse(fromAssembly.stdout)).toEqual(plan);
  });

  test('the text plan names jurisdictions, the references behind each ordering, the prerequisites and the deploy commands', async () => {
    const text = await clover(['plan', outdir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ {2}hamar +account 333333333333 {2}eu-north-1 {2}EU \(Stockholm, SE\) {2}\(enclave\)$/m,
    );
    expect(text.stdout).toMatch(
      /^Wave 3:\n {2}dublin-1: Network \(\d+\), Data \(\d+\), Access \(\d+\), Logging \(\d+\)$/m,
    );
    expect(text.stdout).toMatch(
      /after dublin-2: dublin-1\/Data → dublin-2\/Data: .*names S3 bucket clover-dublin-2-personal/,
    );
    expect(text.stdout).toContain('bootstrap aws://444444444444/eu-west-1');
    expect(text.stdout).toContain('--secret-id clover/dublin-1/monitor-ingest-token');
    expect(text.stdout).toContain(`1. npx cdk deploy 'monitoring/*' --app ${outdir}`);
    expect(text.stdout).toContain(`3. npx cdk deploy 'dublin-1/*' --app ${outdir}`);
  });

  test('bad input exits 2 with one line', async () => {
    const missing = await clover(['plan', path.join(dir, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^clover: .*has no manifest\.json, so it is not a cdk\.out directory/);
    const both = await clover(['plan', outdir, '-c', 'config=x.json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^clover: -c and -o apply when clover plan synthesizes the app/);
    const badConfig = await clover(['plan', '-c', `config=${path.join(dir, 'absent.json')}`]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/-c config ".*absent\.json": names a file that does not exist/);
    expect(badConfig.stderr).toMatch(/clover: the app exited 1 before writing a cloud assembly/);
  });
});
