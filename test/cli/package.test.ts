import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { FIXTURES, REPO } from './audit/cli';

jest.setTimeout(240_000);

const run = promisify(execFile);

/** npm, as the auditor runs it, with a cache of its own: offline, so nothing can come from a registry. */
function npm(args: string[], cwd: string, cache: string) {
  return run('npm', [...args, '--cache', cache, '--offline', '--no-audit', '--no-fund'], {
    cwd,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function exitOf(command: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * The tarball an auditor installs: `npm pack` of this repository (its prepack
 * builds what this test builds: the CLI bundle, which jest's global setup made,
 * and the rule API), installed globally into a prefix of its own and run from
 * a directory that is not the repository, with no dependency from the registry.
 */
describe('the clover-enclave tarball', () => {
  let dir: string;
  let tarball: string;
  let files: string[];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-package-'));
    const { buildRulesApi } = require(path.join(REPO, 'scripts', 'build-cli.js')) as {
      buildRulesApi(): void;
    };
    buildRulesApi();
    const { stdout } = await npm(
      ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
      REPO,
      path.join(dir, 'cache'),
    );
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarball = path.join(dir, packed.filename);
    files = packed.files.map((file) => file.path);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('holds compiled JavaScript and declarations only, and depends on nothing', () => {
    expect(path.basename(tarball)).toMatch(/^clover-enclave-\d+\.\d+\.\d+\.tgz$/);
    expect(files).toEqual(
      expect.arrayContaining([
        'cli/clover.js',
        'dist/cli/main.js',
        'dist/rules/index.js',
        'dist/types/lib/rules-api.d.ts',
        'LICENSE',
        'NOTICE',
      ]),
    );
    expect(files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(
      Object.values(manifest.peerDependenciesMeta).every((meta) => (meta as { optional: boolean }).optional),
    ).toBe(true);
    expect(manifest.scripts.prepack).toBe('node scripts/build-cli.js --package');
  });

  test('npm i -g installs it offline, and `clover audit <cdk.out>` works from another directory', async () => {
    const prefix = path.join(dir, 'global');
    const work = fs.mkdtempSync(path.join(dir, 'work-'));
    await npm(['install', '--global', '--prefix', prefix, tarball], work, path.join(dir, 'cache'));
    expect(fs.existsSync(path.join(prefix, 'lib', 'node_modules', 'clover-enclave', 'node_modules'))).toBe(
      false,
    );
    const clover = path.join(prefix, 'bin', 'clover');
    const audit = await exitOf(
      clover,
      ['audit', path.join(REPO, FIXTURES, 'assembly'), '--region', 'eu-west-1', '--format', 'json'],
      work,
    );
    // The fixture assembly has findings (exit 1); what matters is that the installed command judged it.
    expect(audit.code).toBe(1);
    const report = JSON.parse(audit.stdout) as {
      summary: { stacks: number };
      findings: Array<{ rule: string }>;
    };
    expect(report.summary.stacks).toBe(2);
    expect(report.findings.some((finding) => finding.rule === 'CLV-ENC-1')).toBe(true);
    const clean = await exitOf(clover, ['audit', path.join(REPO, FIXTURES, 'compliant.json')], work);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^clover audit: pass/);
    // A command that needs an optional package says which one, not a stack trace.
    const solutions = await exitOf(
      clover,
      ['audit', path.join(REPO, FIXTURES, 'compliant.json'), '--with', 'aws-solutions'],
      work,
    );
    expect(solutions.code).toBe(2);
    expect(solutions.stderr).toMatch(/^clover: this needs aws-cdk-lib .* npm i -g aws-cdk-lib/);
  });

  test('npx --package ./clover-enclave-<version>.tgz clover audit works, and a rule of your own imports clover-enclave/rules', async () => {
    const project = fs.mkdtempSync(path.join(dir, 'project-'));
    fs.copyFileSync(tarball, path.join(project, path.basename(tarball)));
    const npx = await exitOf(
      'npx',
      [
        '--yes',
        '--offline',
        '--cache',
        path.join(dir, 'cache'),
        '--package',
        `./${path.basename(tarball)}`,
        'clover',
        'audit',
        path.join(REPO, FIXTURES, 'compliant.json'),
      ],
      project,
    );
    expect(npx.stderr).toBe('');
    expect(npx.code).toBe(0);
    expect(npx.stdout).toMatch(/^clover audit: pass/);
    // A project that installs the tarball writes its rules against the package's rule API.
    await npm(['init', '--yes'], project, path.join(dir, 'cache'));
    await npm(['install', '--save-dev', `./${path.basename(tarball)}`], project, path.join(dir, 'cache'));
    fs.writeFileSync(
      path.join(project, 'no-queues.js'),
      [
        "const { violations } = require('clover-enclave/rules');",
        'module.exports = {',
        "  id: 'ACME-SQS-1', family: 'ACC', severity: 'warning', resourceTypes: ['AWS::SQS::Queue'],",
        "  info: 'A queue.', explanation: 'We use no queues.', fix: 'Remove it.',",
        '  evaluate: ({ resource }) => violations([`queue ${resource.logicalId}`]),',
        '};',
      ].join('\n'),
    );
    const local = await exitOf(
      path.join(project, 'node_modules', '.bin', 'clover'),
      ['audit', path.join(REPO, FIXTURES, 'compliant.json'), '--rules', './no-queues.js', '--format', 'json'],
      project,
    );
    expect(local.code).toBe(0);
    const report = JSON.parse(local.stdout) as { findings: Array<{ rule: string; resource: string }> };
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'ACME-SQS-1', resource: 'DeadLetterQueue' }),
    ]);
  });
});
