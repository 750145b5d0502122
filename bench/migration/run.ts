/**
 * Benchmark of `clover migration verify` (docs/BENCHMARKS.md, "Migration verifier").
 *
 *   npx ts-node --transpile-only bench/migration/run.ts [sizes=100000,1000000] [rounds=3] [kinds=s3,dynamodb]
 *
 * For each size and kind it generates a synthetic migration (generate.ts: the
 * destination loses 3 records, changes 2, gains 5), then runs, alternating,
 * round after round:
 *   - the floor: `zcat <every data file of both sides> | wc -l`, the least any
 *     verifier must do (decompress and split lines), in C;
 *   - the Node floor: the same in Node (zlib stream, count line breaks);
 *   - `node cli/clover.js migration verify --format json` (the esbuild bundle),
 *     its result checked against what the generator changed.
 * Each under /usr/bin/time: wall and CPU seconds, peak RSS (the kernel's
 * maximum resident set of the process tree). Results: bench/results/migration.json.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { syntheticExportPair, syntheticInventoryPair, type SyntheticPair } from './generate';

const REPO = path.resolve(__dirname, '..', '..');

interface Measure {
  readonly wall: number;
  readonly cpu: number;
  readonly peakMiB: number;
  readonly stdout: string;
}

/** Runs a command under /usr/bin/time; a non-zero exit is fine when `allowed` lists it. */
function timed(command: string, args: readonly string[], allowed: readonly number[] = [0]): Measure {
  const report = path.join(os.tmpdir(), `clover-bench-time-${process.pid}`);
  let stdout = '';
  try {
    stdout = execFileSync('/usr/bin/time', ['-o', report, '-f', '%e %U %S %M', command, ...args], {
      cwd: REPO,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
  } catch (error) {
    const status = (error as { status?: number }).status ?? -1;
    if (!allowed.includes(status)) throw error;
    stdout = String((error as { stdout?: string }).stdout ?? '');
  }
  const last = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!;
  fs.rmSync(report, { force: true });
  const [wall, user, system, kilobytes] = last.split(' ').map(Number);
  return { wall, cpu: user + system, peakMiB: kilobytes / 1024, stdout };
}

const NODE_FLOOR = `
const fs = require('fs'); const zlib = require('zlib');
(async () => {
  let lines = 0;
  for (const file of process.argv.slice(1)) {
    for await (const chunk of fs.createReadStream(file).pipe(zlib.createGunzip())) {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
    }
  }
  process.stdout.write(lines + '\\n');
})();`;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

function benchmark(kind: 's3' | 'dynamodb', size: number, rounds: number) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-bench-migration-'));
  try {
    const started = Date.now();
    const pair: SyntheticPair =
      kind === 's3' ? syntheticInventoryPair(folder, size) : syntheticExportPair(folder, size);
    const generateSeconds = (Date.now() - started) / 1000;
    const files = [...pair.source.dataFiles, ...pair.destination.dataFiles];
    const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
    const verifyArgs = ['cli/clover.js', 'migration', 'verify', '--source', pair.source.manifest];
    verifyArgs.push('--destination', pair.destination.manifest, '--format', 'json');
    if (kind === 'dynamodb') verifyArgs.push('--key', 'pk,sk');
    const floor: Measure[] = [];
    const nodeFloor: Measure[] = [];
    const verify: Measure[] = [];
    for (let round = 0; round < rounds; round++) {
      const zcat = timed('sh', ['-c', 'zcat "$@" | wc -l', 'zcat', ...files]);
      if (Number(zcat.stdout.trim()) !== pair.expected.source + pair.expected.destination) {
        throw new Error(`zcat counted ${zcat.stdout.trim()} lines`);
      }
      floor.push(zcat);
      nodeFloor.push(timed(process.execPath, ['-e', NODE_FLOOR, ...files]));
      const run = timed(process.execPath, verifyArgs, [1]);
      const evidence = JSON.parse(run.stdout) as { objects?: unknown; items?: unknown };
      const counts = JSON.stringify(evidence.objects ?? evidence.items);
      if (counts !== JSON.stringify(pair.expected)) throw new Error(`verify found ${counts}`);
      verify.push(run);
    }
    const summary = (measures: readonly Measure[]) => ({
      wall: median(measures.map((measure) => measure.wall)),
      cpu: median(measures.map((measure) => measure.cpu)),
      peakMiB: Math.max(...measures.map((measure) => measure.peakMiB)),
      walls: measures.map((measure) => measure.wall),
    });
    const result = {
      kind,
      recordsPerSide: size,
      dataFiles: files.length,
      compressedMiB: bytes / 2 ** 20,
      generateSeconds,
      floor: summary(floor),
      nodeFloor: summary(nodeFloor),
      verify: summary(verify),
      ratio: median(verify.map((measure) => measure.wall)) / median(floor.map((measure) => measure.wall)),
      ratioToNodeFloor:
        median(verify.map((measure) => measure.wall)) / median(nodeFloor.map((measure) => measure.wall)),
    };
    process.stdout.write(
      `${kind} ${size}/side: zcat ${result.floor.wall.toFixed(2)} s, node floor ${result.nodeFloor.wall.toFixed(2)} s, ` +
        `verify ${result.verify.wall.toFixed(2)} s (${result.verify.cpu.toFixed(2)} CPU-s, peak ${result.verify.peakMiB.toFixed(0)} MiB); ` +
        `ratio ${result.ratio.toFixed(2)} to zcat, ${result.ratioToNodeFloor.toFixed(2)} to the Node floor\n`,
    );
    return result;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function main(): void {
  const [sizesText = '100000,1000000', roundsText = '3', kindsText = 's3,dynamodb'] = process.argv.slice(2);
  const sizes = sizesText.split(',').map(Number);
  const rounds = Number(roundsText);
  const kinds = kindsText.split(',') as Array<'s3' | 'dynamodb'>;
  execFileSync(process.execPath, ['scripts/build-cli.js'], { cwd: REPO });
  const results = [];
  for (const kind of kinds) for (const size of sizes) results.push(benchmark(kind, size, rounds));
  const out = path.join(REPO, 'bench', 'results', 'migration.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), results }, null, 2)}\n`,
  );
  process.stdout.write(`results: ${path.relative(process.cwd(), out)}\n`);
}

main();
