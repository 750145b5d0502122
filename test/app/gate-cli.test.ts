import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Runs the real CDK CLI (`cdk synth`, no stack selection, as `npx cdk synth`
 * resolves it) the way a CI pipeline does. Each run is bounded by a timeout.
 */
function cdkSynth(args: string[], outdir: string) {
  const result = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'cdk'),
    ['synth', '-q', '-o', outdir, ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      // The user's environment, not the unit tests' switches of test/setup-env.js.
      env: {
        ...process.env,
        CDK_VALIDATION: undefined,
        CDK_CONTEXT_JSON: undefined,
        CDK_DISABLE_VERSION_CHECK: '1',
        NODE_ENV: 'production',
      },
    },
  );
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-gate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, config: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$/m;

describe('npx cdk synth as a policy gate', () => {
  test('exits non-zero over an error-level finding inside a Stage, with one readable summary', () => {
    const { status, output, stdout, stderr } = cdkSynth(
      ['--app', 'node -r ./scripts/register-ts.js test/fixtures/gate/violating-app.ts'],
      path.join(dir, 'violating.out'),
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/Clover policy gate FAILED: \d+ error/);
    expect(output).toMatch(/ERROR CLV-RES-5 at dublin-1\/Data\/PlantedMultiRegionKey: MultiRegion is true/);
    expect(output).toContain(`Full report: ${path.join(dir, 'violating.out', 'validation-report.json')}`);
    expect(output).not.toMatch(STACK_TRACE);
    // One line naming the config, on stderr (the CDK CLI passes the app's stderr through; stdout stays clean).
    expect(stderr.match(/^Clover: .*$/gm)).toEqual(['Clover: config test/fixtures/gate/one-enclave.json']);
    expect(stdout).not.toMatch(/Clover: /);
  });

  test('fails on -c conifg=… naming the key it resembles, instead of synthesizing the embedded sample accounts', () => {
    const { status, output } = cdkSynth(['-c', 'conifg=my-clover.json'], path.join(dir, 'conifg.out'));
    expect(status).not.toBe(0);
    expect(output).toMatch(
      /-c conifg "my-clover\.json": is not a context key Clover reads; it resembles "config"/,
    );
    expect(output).toMatch(/fix: write -c config=my-clover\.json/);
    expect(output).not.toMatch(/Clover: embedded default config/);
    // No stage was built: the cloud assembly holds no stage and no template.
    const written = fs.existsSync(path.join(dir, 'conifg.out'))
      ? fs.readdirSync(path.join(dir, 'conifg.out'))
      : [];
    expect(written.filter((file) => file.startsWith('assembly-') || file.endsWith('.template.json'))).toEqual(
      [],
    );
    expect(output).not.toMatch(STACK_TRACE);
  });

  test('rejects an enclave in us-east-1 without interim: names the region, the path and the allowed regions', () => {
    const file = configFile('us.json', {
      enclaves: [{ name: 'virginia', account: '111111111111', region: 'us-east-1', cidr: '10.0.0.0/16' }],
      monitoring: { account: '444444444444', region: 'eu-west-1', ingestUrl: 'https://monitor.example.eu' },
    });
    const { status, output } = cdkSynth(['-c', `config=${file}`], path.join(dir, 'us.out'));
    expect(status).not.toBe(0);
    expect(output).toMatch(/enclaves\[0\]\.region "us-east-1": is outside Europe/);
    expect(output).toMatch(/choose one of: eu-west-1, eu-west-3, eu-central-1, eu-north-1/);
    expect(output.match(/Invalid Clover config/g)).toHaveLength(1);
    expect(output).not.toMatch(STACK_TRACE);
  });

  test('fails the interim example the day after its sunset, naming the sunset', () => {
    const { status, output } = cdkSynth(
      ['-c', 'config=examples/interim-us.json', '-c', 'today=2031-01-01'],
      path.join(dir, 'late.out'),
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/enclaves\[3\]\.interim\.sunset "2030-12-31": has passed \(today is 2031-01-01\)/);
  });
});
