/**
 * Benchmark: what the runtime flow proof (CLV-RUN) adds to the default synth and to `clover audit`.
 *
 *   node -r ./scripts/register-ts.js bench/runtime/run.ts [baseline git ref=af31fc1] [runs=3]
 *
 * The baseline is a checkout of the repository before the proof (a git worktree that shares this
 * checkout's node_modules). Each run synthesizes the default (`npx cdk synth -q`, into a fresh
 * output directory) and audits that cdk.out (`node cli/clover.js audit <dir> --format json`), first
 * in the baseline, then here, alternating, so that both see the same machine load. Wall and CPU
 * (user + sys) come from bash's `time`. Results are printed and written to
 * bench/results/runtime.json; copy them into docs/BENCHMARKS.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

function timed(cwd: string, command: string): Timing {
  const times = path.join(os.tmpdir(), `clover-bench-runtime-${process.pid}.time`);
  const script = `TIMEFORMAT='%R %U %S'; { time ${command} >/dev/null 2>&1; } 2>"${times}"`;
  const result = spawnSync('bash', ['-c', script], { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} failed in ${cwd} (exit ${result.status})`);
  const [wall, user, sys] = fs.readFileSync(times, 'utf8').trim().split(/\s+/).map(Number);
  return { wall, cpu: user + sys };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function measure(cwd: string, out: string): { synth: Timing; audit: Timing } {
  fs.rmSync(out, { recursive: true, force: true });
  const synth = timed(cwd, `npx cdk synth -q -o ${out}`);
  const audit = timed(cwd, `node cli/clover.js audit ${out} --format json`);
  return { synth, audit };
}

function main(): void {
  const baseline = process.argv[2] ?? 'af31fc1';
  const runs = Number(process.argv[3] ?? 3);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-bench-runtime-'));
  const before = path.join(work, 'baseline');
  spawnSync('git', ['worktree', 'add', '--detach', before, baseline], { cwd: REPO, stdio: 'inherit' });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(before, 'node_modules'));
  // Both sides audit with their esbuild bundle (cli/clover.js falls back to compiling TypeScript when it is stale).
  for (const tree of [before, REPO])
    spawnSync('node', ['scripts/build-cli.js'], { cwd: tree, stdio: 'inherit' });
  const rows: Array<{ before: { synth: Timing; audit: Timing }; after: { synth: Timing; audit: Timing } }> =
    [];
  try {
    for (let run = 0; run < runs; run++) {
      const b = measure(before, path.join(work, 'out-before'));
      const a = measure(REPO, path.join(work, 'out-after'));
      rows.push({ before: b, after: a });
      process.stdout.write(
        `run ${run + 1}: synth ${b.synth.wall.toFixed(2)} → ${a.synth.wall.toFixed(2)} s wall (${b.synth.cpu.toFixed(2)} → ${a.synth.cpu.toFixed(2)} CPU-s); ` +
          `audit ${b.audit.wall.toFixed(2)} → ${a.audit.wall.toFixed(2)} s wall (${b.audit.cpu.toFixed(2)} → ${a.audit.cpu.toFixed(2)} CPU-s)\n`,
      );
    }
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', before], { cwd: REPO, stdio: 'inherit' });
    fs.rmSync(work, { recursive: true, force: true });
  }
  const summary: Record<string, number> = {};
  for (const step of ['synth', 'audit'] as const) {
    for (const metric of ['wall', 'cpu'] as const) {
      const b = median(rows.map((row) => row.before[step][metric]));
      const a = median(rows.map((row) => row.after[step][metric]));
      summary[`${step}.${metric}.before`] = b;
      summary[`${step}.${metric}.after`] = a;
      summary[`${step}.${metric}.ratio`] = Number((a / b).toFixed(2));
    }
  }
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(REPO, 'bench', 'results', 'runtime.json'),
    JSON.stringify({ baseline, runs: rows, summary }, null, 2),
  );
}

main();
