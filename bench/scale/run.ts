/**
 * Benchmark: synth, `clover plan` and `clover audit` (runtime flow proof included) of generated configs of
 * 1, 16, 64 and 256 enclaves (bench/scale/generate.ts), each size against 1 enclave measured in the same run.
 *
 *   node -r ./scripts/register-ts.js bench/scale/run.ts [sizes=1,16,64,256] [rounds=1]
 *
 * Each step runs as users run it, as a child process under GNU time: `npx cdk synth -q -c config=<file>
 * -o <dir>` (Lambda bundling with the local esbuild, CloverChecks, AwsSolutions and cfn-lint, the runtime
 * flow proof), then `node cli/clover.js plan <dir>` and `node cli/clover.js audit <dir> --format json` on that
 * cloud assembly, and `node cli/clover.js audit <dir>` as a user types it (the default text report: the same
 * audit without rendering and writing the ~64 MB JSON report of 256 enclaves). Wall and CPU (user + sys)
 * seconds, and the peak RSS of the largest process of the step.
 * Every step must exit 0 (the gate, the plan and the audit clean), or the run stops: a fast failure is no
 * result. Rounds go through the sizes in turn, so machine load hits all sizes alike; the median per size is
 * reported. Results: printed, and written to bench/results/scale.json; copy them into docs/BENCHMARKS.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scaleConfig } from './generate';

const REPO = path.resolve(__dirname, '..', '..');

interface Step {
  readonly wall: number;
  readonly cpu: number;
  /** Peak resident set size of the step's largest process, in MiB. */
  readonly peakMiB: number;
}

interface SizeResult {
  readonly enclaves: number;
  readonly stacks: number;
  readonly synth: Step;
  readonly plan: Step;
  readonly audit: Step;
  /** `clover audit <dir>` with its default (text) report. */
  readonly auditText: Step;
}

/** Runs a command under GNU time; throws (with its output) unless it exits 0. */
function timed(command: readonly string[], log: string): Step {
  const times = `${log}.time`;
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', times, ...command], {
    cwd: REPO,
    stdio: ['ignore', fs.openSync(log, 'w'), fs.openSync(`${log}.err`, 'w')],
    env: { ...process.env, SOURCE_DATE_EPOCH: '1795392000' },
  });
  if (result.status !== 0) {
    const tail = fs.readFileSync(`${log}.err`, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`${command.join(' ')} exited ${result.status}:\n${tail}`);
  }
  const last = fs.readFileSync(times, 'utf8').trim().split('\n').pop()!;
  const [wall, user, sys, kilobytes] = last.split(/\s+/).map(Number);
  return { wall, cpu: user + sys, peakMiB: kilobytes / 1024 };
}

function countStacks(directory: string): number {
  let count = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) count += countStacks(path.join(directory, entry.name));
    else if (entry.name.endsWith('.template.json')) count++;
  }
  return count;
}

function measure(work: string, enclaves: number): SizeResult {
  const config = path.join(work, `scale-${enclaves}.json`);
  fs.writeFileSync(config, JSON.stringify(scaleConfig(enclaves), null, 2));
  const out = path.join(work, `cdk.out-${enclaves}`);
  fs.rmSync(out, { recursive: true, force: true });
  const log = (step: string) => path.join(work, `${step}-${enclaves}.log`);
  const synth = timed(['npx', 'cdk', 'synth', '-q', '-c', `config=${config}`, '-o', out], log('synth'));
  const plan = timed(['node', 'cli/clover.js', 'plan', out], log('plan'));
  const audit = timed(['node', 'cli/clover.js', 'audit', out, '--format', 'json'], log('audit'));
  const auditText = timed(['node', 'cli/clover.js', 'audit', out], log('audit-text'));
  // Exit 0 already means no error; the report must also judge every stack and resource the synth wrote.
  const report = JSON.parse(fs.readFileSync(log('audit'), 'utf8')) as {
    summary: { verdict: string; stacks: number; errors: number; warnings: number };
  };
  if (report.summary.verdict !== 'pass')
    throw new Error(`clover audit of ${enclaves} enclaves: ${JSON.stringify(report.summary)}`);
  const stacks = countStacks(out);
  if (report.summary.stacks !== stacks)
    throw new Error(
      `clover audit judged ${report.summary.stacks} of the ${stacks} stacks of ${enclaves} enclaves`,
    );
  const result = { enclaves, stacks, synth, plan, audit, auditText };
  fs.rmSync(out, { recursive: true, force: true });
  return result;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const sizes = (process.argv[2] ?? '1,16,64,256').split(',').map(Number);
  const rounds = Number(process.argv[3] ?? 1);
  if (!sizes.includes(1)) sizes.unshift(1);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-bench-scale-'));
  // The CLI bundle, fresh: plan and audit then measure Clover, not compiling it.
  spawnSync('node', ['scripts/build-cli.js'], { cwd: REPO, stdio: 'inherit' });
  const runs = new Map<number, SizeResult[]>(sizes.map((size) => [size, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const size of sizes) {
        const result = measure(work, size);
        runs.get(size)!.push(result);
        const { synth, plan, audit, auditText } = result;
        process.stdout.write(
          `round ${round + 1}, ${size} enclave(s), ${result.stacks} stacks: synth ${synth.wall.toFixed(1)} s (${synth.cpu.toFixed(1)} CPU-s, ${synth.peakMiB.toFixed(0)} MiB), ` +
            `plan ${plan.wall.toFixed(2)} s (${plan.cpu.toFixed(2)} CPU-s), audit ${audit.wall.toFixed(2)} s (${audit.cpu.toFixed(2)} CPU-s, ${audit.peakMiB.toFixed(0)} MiB), ` +
            `audit (text) ${auditText.wall.toFixed(2)} s (${auditText.cpu.toFixed(2)} CPU-s)\n`,
        );
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const summary = sizes.map((size) => {
    const list = runs.get(size)!;
    const base = runs.get(1)!;
    type StepName = 'synth' | 'plan' | 'audit' | 'auditText';
    const step = (name: StepName, metric: keyof Step) => median(list.map((r) => r[name][metric]));
    const ratio = (name: StepName, metric: 'wall' | 'cpu') =>
      Number((step(name, metric) / median(base.map((r) => r[name][metric]))).toFixed(2));
    return {
      enclaves: size,
      stacks: list[0].stacks,
      synthWall: step('synth', 'wall'),
      synthCpu: step('synth', 'cpu'),
      synthPeakMiB: Math.round(step('synth', 'peakMiB')),
      planWall: step('plan', 'wall'),
      planCpu: step('plan', 'cpu'),
      auditWall: step('audit', 'wall'),
      auditCpu: step('audit', 'cpu'),
      auditPeakMiB: Math.round(step('audit', 'peakMiB')),
      auditTextWall: step('auditText', 'wall'),
      auditTextCpu: step('auditText', 'cpu'),
      synthWallRatio: ratio('synth', 'wall'),
      synthCpuRatio: ratio('synth', 'cpu'),
      planWallRatio: ratio('plan', 'wall'),
      auditWallRatio: ratio('audit', 'wall'),
      auditCpuRatio: ratio('audit', 'cpu'),
      auditTextWallRatio: ratio('auditText', 'wall'),
    };
  });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(REPO, 'bench', 'results', 'scale.json'),
    JSON.stringify(
      { sizes, rounds, loadAverage: os.loadavg(), runs: Object.fromEntries(runs), summary },
      null,
      2,
    ),
  );
}

main();
