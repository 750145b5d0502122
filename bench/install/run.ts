/**
 * Benchmark: the `clover` command as an auditor installs it (`npm pack`, then
 * `npm i -g` of the tarball into a prefix of its own, offline), started from a
 * directory that is not the repository.
 *
 *   npx ts-node --transpile-only bench/install/run.ts [runs=15] [templates=300]
 *
 * Measures, in one run and interleaved so the machine's load hits all alike:
 * - baseline: `node -e 0` (Node's own start-up on this machine, now);
 * - `clover audit small.json` of the installed command (a key and a queue, 2 resources);
 * - `clover audit compliant.json` (the 71-resource audit fixture);
 * - `npx --package ./clover-enclave-<version>.tgz clover audit small.json` (npx adds its own start-up);
 * - one `clover audit <dir>` over a directory of `templates` templates (compliant.json and
 *   its violation variants, in sub-folders), for throughput.
 * Wall times (median and fastest of `runs`) and their ratio to the baseline
 * median are printed as Markdown and written to bench/results/install.json.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'audit');

/** Wall seconds of one run (stdout and stderr discarded); the exit code must be one of `ok`. */
function wall(command: string, args: readonly string[], cwd: string, ok: readonly number[] = [0, 1]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, stdio: 'ignore' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (!ok.includes(result.status ?? -1))
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return seconds;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fastest = (values: readonly number[]) => Math.min(...values);

function install(work: string): { clover: string; tarball: string; cache: string } {
  const cache = path.join(work, 'npm-cache');
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [{ filename }] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string }>;
  const tarball = path.join(work, filename);
  const prefix = path.join(work, 'global');
  execFileSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      tarball,
      '--offline',
      '--cache',
      cache,
      '--no-audit',
      '--no-fund',
    ],
    { cwd: work, stdio: 'ignore' },
  );
  return { clover: path.join(prefix, 'bin', 'clover'), tarball, cache };
}

/** `count` templates in sub-folders of `dir`: the compliant fixture and each violation variant, in turn. */
function templateDirectory(dir: string, count: number): number {
  const sources = fs
    .readdirSync(FIXTURES)
    .filter((name) => /^(compliant|violation-.*)\.json$/.test(name))
    .map((name) => fs.readFileSync(path.join(FIXTURES, name)));
  let resources = 0;
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `team-${Math.floor(i / 50)}`);
    fs.mkdirSync(folder, { recursive: true });
    const source = sources[i % sources.length];
    fs.writeFileSync(path.join(folder, `stack-${i}.json`), source);
    resources += Object.keys((JSON.parse(source.toString('utf8')) as { Resources: object }).Resources).length;
  }
  return resources;
}

function main(): void {
  const runs = Number(process.argv[2] ?? 15);
  const count = Number(process.argv[3] ?? 300);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-bench-install-'));
  const { clover, tarball, cache } = install(work);
  const cwd = fs.mkdtempSync(path.join(work, 'auditor-'));
  fs.copyFileSync(tarball, path.join(cwd, path.basename(tarball)));
  const small = path.join(cwd, 'small.json');
  fs.writeFileSync(
    small,
    JSON.stringify({
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { Ref: 'Key' } } },
      },
    }),
  );
  const compliant = path.join(FIXTURES, 'compliant.json');
  const npxArgs = [
    '--yes',
    '--offline',
    '--cache',
    cache,
    '--package',
    `./${path.basename(tarball)}`,
    'clover',
  ];

  const samples: Record<string, number[]> = { baseline: [], small: [], compliant: [], npx: [] };
  wall(clover, ['audit', small, '--region', 'eu-west-1'], cwd); // warm the file cache
  for (let i = 0; i < runs; i++) {
    samples.baseline.push(wall(process.execPath, ['-e', '0'], cwd, [0]));
    samples.small.push(wall(clover, ['audit', small, '--region', 'eu-west-1'], cwd));
    samples.compliant.push(wall(clover, ['audit', compliant], cwd));
    if (i < Math.ceil(runs / 3))
      samples.npx.push(wall('npx', [...npxArgs, 'audit', small, '--region', 'eu-west-1'], cwd));
  }

  const dir = path.join(work, 'templates');
  const resources = templateDirectory(dir, count);
  const directory = [1, 2, 3].map(() => wall(clover, ['audit', dir, '--format', 'json'], cwd));

  const base = median(samples.baseline);
  const row = (what: string, values: number[]) =>
    `| ${what} | ${median(values).toFixed(3)} s | ${fastest(values).toFixed(3)} s | ${(median(values) / base).toFixed(2)} |`;
  const lines = [
    `Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${runs} runs each (npx ${samples.npx.length})`,
    '',
    '| Command (installed from the tarball, run from a temp directory) | Median wall | Fastest | × baseline |',
    '| --- | --- | --- | --- |',
    row('baseline: `node -e 0`', samples.baseline),
    row('`clover audit small.json` (2 resources)', samples.small),
    row('`clover audit compliant.json` (71 resources)', samples.compliant),
    row('`npx --package ./clover-enclave-<version>.tgz clover audit small.json`', samples.npx),
    row(`\`clover audit <dir>\`: ${count} templates, ${resources} resources, one call`, directory),
    '',
    `Throughput: ${(count / median(directory)).toFixed(0)} templates/s, ${(resources / median(directory)).toFixed(0)} resources/s (median of 3 directory runs).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(REPO, 'bench', 'results', 'install.json'),
    JSON.stringify({ runs, count, resources, samples, directory, loadavg: os.loadavg() }, null, 2),
  );
  fs.rmSync(work, { recursive: true, force: true });
}

main();
