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

async function exitOf(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * The tarball an auditor or a platform team installs: `npm pack` of this
 * repository, once for every test here (its prepack builds what this test
 * builds: the CLI bundle, which jest's global setup made, and the library),
 * installed from the file with no dependency from the registry.
 */
let dir: string;
let tarball: string;
let files: string[];
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-package-'));
  const { buildLibrary } = require(path.join(REPO, 'scripts', 'build-lib.js')) as {
    buildLibrary(): void;
  };
  buildLibrary();
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

describe('the clover-enclave tarball', () => {
  // The auditor's way: installed globally into a prefix of its own and run from a directory that is not the repository.
  test('holds compiled JavaScript and declarations only (no tests, fixtures or sources), and depends on nothing', () => {
    expect(path.basename(tarball)).toMatch(/^clover-enclave-\d+\.\d+\.\d+\.tgz$/);
    expect(files).toEqual(
      expect.arrayContaining([
        'cli/clover.js',
        'dist/cli/main.js',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/lib/rules-api.js',
        'dist/lib/rules-api.d.ts',
        'dist/lambda/log-shipper/index.js',
        'dist/vendor/zod.js',
        'docs/workloads.md',
        'LICENSE',
        'NOTICE',
      ]),
    );
    expect(files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(
      files.filter((file) => /^(test|examples|bench|scripts|lib|lambda)\/|fixtures|\.test\./.test(file)),
    ).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.private).toBeUndefined();
    // The library's peers carry the ranges Clover is tested with: its own devDependencies.
    for (const peer of ['aws-cdk-lib', 'constructs', 'cdk-nag'])
      expect(manifest.peerDependencies[peer]).toBe(manifest.devDependencies[peer]);
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

/** The peers a CDK app installs beside clover-enclave (docs/workloads.md), and esbuild for NodejsFunction. */
const PEERS = ['aws-cdk-lib', 'constructs', 'cdk-nag', '@cloud-copilot/iam-simulate', 'esbuild'];

/** A CDK app of its own: one workload stack per enclave, a queue encrypted with the enclave's key. */
const WORKLOAD_APP = `const { Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const sns = require('aws-cdk-lib/aws-sns');
const sqs = require('aws-cdk-lib/aws-sqs');
const { runCloverApp } = require('clover-enclave');

class OrdersStack extends Stack {
  constructor(scope, id, props) {
    super(scope, id);
    const deadLetters = new sqs.Queue(this, 'DeadLetters', { encryptionMasterKey: props.key, enforceSSL: true });
    new sqs.Queue(this, 'Orders', {
      encryptionMasterKey: props.key,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
    });
    if (process.env.WORKLOAD === 'breach') {
      new s3.Bucket(this, 'Exports', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
      const topic = new sns.Topic(this, 'Fanout', { masterKey: props.key, enforceSSL: true });
      new sns.CfnSubscription(this, 'Mirror', {
        topicArn: topic.topicArn,
        protocol: 'sqs',
        endpoint: 'arn:aws:sqs:us-east-1:111111111111:mirror',
      });
    }
  }
}

runCloverApp({
  workloads: ({ enclaveStages }) => {
    for (const stage of enclaveStages)
      stage.addWorkload('Orders', (scope, enclave) =>
        new OrdersStack(scope, 'Orders', { key: enclave.vault.keys[enclave.vault.primaryDataClass] }),
      );
  },
}).then((code) => {
  process.exitCode = code;
});
`;

describe('a CDK app of its own that installs the tarball', () => {
  let app: string;
  beforeAll(async () => {
    app = fs.mkdtempSync(path.join(dir, 'app-'));
    fs.writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'acme-orders', version: '1.0.0', private: true }),
    );
    const { context } = JSON.parse(fs.readFileSync(path.join(REPO, 'cdk.json'), 'utf8'));
    fs.writeFileSync(
      path.join(app, 'cdk.json'),
      JSON.stringify({
        app: 'node app.js',
        context: { ...context, config: 'clover.json', today: '2026-11-23' },
      }),
    );
    fs.copyFileSync(
      path.join(REPO, 'test', 'fixtures', 'gate', 'one-enclave.json'),
      path.join(app, 'clover.json'),
    );
    fs.writeFileSync(path.join(app, 'app.js'), WORKLOAD_APP);
    await npm(['install', tarball], app, path.join(dir, 'cache'));
    // The peers are not in this machine's npm cache (the test runs offline), so they are linked from the
    // repository's node_modules, where `npm ci` put the versions Clover is tested with.
    for (const peer of PEERS) {
      fs.mkdirSync(path.dirname(path.join(app, 'node_modules', peer)), { recursive: true });
      fs.symlinkSync(path.join(REPO, 'node_modules', peer), path.join(app, 'node_modules', peer), 'dir');
    }
    // NodejsFunction runs `npx --no-install esbuild`, which looks in node_modules/.bin.
    fs.mkdirSync(path.join(app, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(
      path.join('..', 'esbuild', 'bin', 'esbuild'),
      path.join(app, 'node_modules', '.bin', 'esbuild'),
    );
  });

  /** The real CDK CLI, as the app's CI runs it, with the user's environment rather than the unit tests' switches. */
  function cdkSynth(outdir: string, env: Record<string, string> = {}) {
    return exitOf(
      process.execPath,
      [path.join(REPO, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '**', '-q', '-o', outdir],
      app,
      {
        ...process.env,
        CDK_VALIDATION: undefined,
        CDK_CONTEXT_JSON: undefined,
        CDK_DISABLE_VERSION_CHECK: '1',
        ...env,
      },
    );
  }

  test('synthesizes an enclave with a compliant workload: the gate passes, and the handlers bundle from the package', async () => {
    const { code, stdout, stderr } = await cdkSynth('compliant.out');
    expect(stderr).not.toMatch(/Clover policy gate FAILED/);
    expect(code).toBe(0);
    expect(`${stdout}${stderr}`).toMatch(/Bundling asset dublin-1\/Logging\/Shipper\/Function\/Code\/Stage/);
    const stage = path.join(app, 'compliant.out', 'assembly-dublin-1');
    const orders = fs.readdirSync(stage).find((file) => /^dublin1Orders.*\.template\.json$/.test(file))!;
    const template = JSON.parse(fs.readFileSync(path.join(stage, orders), 'utf8'));
    expect(template.Metadata['Clover::Enclave']).toEqual({ name: 'dublin-1', role: 'workload' });
    expect(template.Resources).toEqual(
      expect.objectContaining({
        [Object.keys(template.Resources).find((id) => id.startsWith('Orders'))!]: expect.objectContaining({
          Type: 'AWS::SQS::Queue',
          Properties: expect.objectContaining({
            KmsMasterKeyId: { 'Fn::ImportValue': expect.stringMatching(/^dublin-1-Data:/) },
          }),
        }),
      }),
    );
  });

  test('fails synth on a workload that breaks encryption and residency, naming each resource', async () => {
    const { code, stderr } = await cdkSynth('breach.out', { WORKLOAD: 'breach' });
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Clover policy gate FAILED/);
    expect(stderr).toMatch(/ERROR CLV-ENC-1 at dublin-1\/Orders\/Exports\/Resource: SSEAlgorithm is AES256/);
    expect(stderr).toMatch(/ERROR CLV-RES-2 at dublin-1\/Orders\/Mirror: Endpoint names us-east-1/);
  });
});
