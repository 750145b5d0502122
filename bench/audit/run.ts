/**
 * Benchmark: `clover audit` against cfn-guard with the Control Tower rules, on
 * the same generated template.
 *
 *   npx ts-node --transpile-only bench/audit/run.ts [resources=10000] [clover runs=3]
 *
 * Both tools run as child processes timed by bash's `time` (wall, user, sys);
 * clover's wall time includes Node and ts-node start-up. cfn-guard runs
 * exactly as `clover audit --with control-tower` (and @cdklabs/cdk-validator-cfnguard)
 * run it: every Control Tower rule, JSON structured output. Results are
 * printed and written to bench/results/audit.json; copy them into docs/BENCHMARKS.md.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateTemplate } from './generate-template';

const REPO = path.resolve(__dirname, '..', '..');
const GUARD_PACKAGE = path.join(REPO, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard');
const ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64' };

interface Timing {
  readonly wall: number;
  readonly user: number;
  readonly sys: number;
  readonly status: number;
}

/** Runs a command with stdout to a file, timed by bash's `time` builtin. */
function timed(command: readonly string[], stdoutFile: string, env: NodeJS.ProcessEnv = process.env): Timing {
  const timesFile = `${stdoutFile}.time`;
  const script = `TIMEFORMAT='%R %U %S'; { time "$@" >"$OUT_FILE" 2>"$OUT_FILE.err"; } 2>"$TIME_FILE"`;
  const result = spawnSync('bash', ['-c', script, 'bash', ...command], {
    cwd: REPO,
    env: { ...env, OUT_FILE: stdoutFile, TIME_FILE: timesFile },
    stdio: 'inherit',
  });
  const [wall, user, sys] = fs.readFileSync(timesFile, 'utf8').trim().split(/\s+/).map(Number);
  return { wall, user, sys, status: result.status ?? -1 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rate = (resources: number, seconds: number) => Math.round(resources / seconds);

function main(): void {
  const resources = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 3);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-bench-audit-'));
  const template = path.join(work, `audit-${resources}.json`);
  fs.writeFileSync(template, JSON.stringify(generateTemplate(resources)));
  const size = fs.statSync(template).size;
  process.stdout.write(`template: ${resources} resources, ${(size / 1e6).toFixed(1)} MB (${template})\n`);

  const cloverRuns: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    const out = path.join(work, 'clover.json');
    const timing = timed(['node', 'cli/clover.js', 'audit', template, '--format', 'json'], out, {
      ...process.env,
      SOURCE_DATE_EPOCH: '1795392000',
    });
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      summary: { resources: number; verdict: string };
    };
    if (report.summary.resources !== resources)
      throw new Error(`clover audited ${report.summary.resources} resources`);
    cloverRuns.push(timing);
    process.stdout.write(
      `clover audit run ${i + 1}: ${timing.wall}s wall, ${(timing.user + timing.sys).toFixed(2)}s CPU, verdict ${report.summary.verdict}\n`,
    );
  }

  const guard = path.join(
    GUARD_PACKAGE,
    'bin',
    os.platform() === 'darwin' ? 'macos' : 'ubuntu',
    ARCH[os.arch()],
    'cfn-guard',
  );
  const rules = path.join(GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard');
  const guardOut = path.join(work, 'guard.json');
  process.stdout.write('cfn-guard with the Control Tower rules: running (this takes minutes)…\n');
  const guardTiming = timed(
    [
      guard,
      'validate',
      '--rules',
      rules,
      '--data',
      template,
      '--output-format',
      'json',
      '--show-summary',
      'none',
      '--structured',
    ],
    guardOut,
  );
  // cfn-guard exits 19 when a rule fails; anything but 0 or 19 is a broken run.
  if (guardTiming.status !== 0 && guardTiming.status !== 19)
    throw new Error(`cfn-guard exited ${guardTiming.status}`);
  const guardVersion = spawnSync(guard, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const ruleFiles = fs
    .readdirSync(rules, { recursive: true })
    .filter((file) => String(file).endsWith('.guard')).length;

  const cloverWall = median(cloverRuns.map((t) => t.wall));
  const cloverCpu = median(cloverRuns.map((t) => t.user + t.sys));
  const guardCpu = guardTiming.user + guardTiming.sys;
  const results = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    node: process.version,
    resources,
    templateBytes: size,
    clover: {
      runs: cloverRuns,
      medianWall: cloverWall,
      medianCpu: cloverCpu,
      resourcesPerSecond: rate(resources, cloverWall),
    },
    cfnGuard: {
      version: guardVersion,
      ruleFiles,
      timing: guardTiming,
      outputBytes: fs.statSync(guardOut).size,
      resourcesPerSecond: rate(resources, guardTiming.wall),
    },
  };
  fs.mkdirSync(path.join(REPO, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(REPO, 'bench', 'results', 'audit.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  fs.rmSync(work, { recursive: true, force: true });
  process.stdout.write(
    [
      '',
      `| Tool | Wall (s) | CPU (s) | Resources/s (wall) | Resources per CPU-second |`,
      `| --- | --- | --- | --- | --- |`,
      `| clover audit (median of ${runs}) | ${cloverWall.toFixed(2)} | ${cloverCpu.toFixed(2)} | ${rate(resources, cloverWall)} | ${rate(resources, cloverCpu)} |`,
      `| ${guardVersion}, ${ruleFiles} Control Tower rules | ${guardTiming.wall.toFixed(2)} | ${guardCpu.toFixed(2)} | ${rate(resources, guardTiming.wall)} | ${rate(resources, guardCpu)} |`,
      '',
    ].join('\n'),
  );
}

main();
