#!/usr/bin/env node
// The static half of `npm test`: ESLint, Prettier and the TypeScript type
// check, run side by side, with each tool's output printed whole, in a fixed
// order, once all have finished. Exits non-zero if any of them fails, naming
// which. scripts/test.js runs them at low CPU priority beside jest.
const { spawn } = require('child_process');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

// Each tool keeps a cache under node_modules/.cache (which `npm ci` clears), so a
// second run in a checkout rechecks only what changed; a fresh clone runs in full.
const cache = (name) => path.join('node_modules', '.cache', 'clover-check', name);
const CHECKS = [
  { name: 'eslint', command: bin('eslint'), args: ['--cache', '--cache-location', cache('eslint'), '.'] },
  {
    name: 'prettier',
    command: bin('prettier'),
    args: ['--check', '--cache', '--cache-location', cache('prettier'), '.'],
  },
  {
    name: 'tsc',
    command: bin('tsc'),
    args: ['--noEmit', '--incremental', '--tsBuildInfoFile', cache('tsbuildinfo')],
  },
];

function run(check, priority) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(check.command, check.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    if (priority !== undefined && child.pid !== undefined) {
      try {
        os.setPriority(child.pid, priority);
      } catch {
        // Not permitted here: the check still runs, at normal priority.
      }
    }
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ ...check, code: 1, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      resolve({
        ...check,
        code: code ?? 1,
        output: signal ? `${output}killed by ${signal}\n` : output,
        seconds: (Date.now() - started) / 1000,
      }),
    );
  });
}

/** Runs every check; `priority` (-20..19) is the children's CPU niceness. */
function runChecks(priority) {
  return Promise.all(CHECKS.map((check) => run(check, priority)));
}

/** Prints each check's verdict and output; returns the names of those that failed. */
function report(results) {
  for (const result of results) {
    const verdict = result.code === 0 ? 'ok' : `FAILED (exit ${result.code})`;
    process.stdout.write(
      `> ${result.name} ${result.args.join(' ')}: ${verdict} in ${result.seconds.toFixed(1)} s\n`,
    );
    if (result.code !== 0 || result.output.trim() !== '') process.stdout.write(result.output);
  }
  const failed = results.filter((result) => result.code !== 0).map((result) => result.name);
  if (failed.length > 0) process.stderr.write(`static checks failed: ${failed.join(', ')}\n`);
  return failed;
}

module.exports = { runChecks, report };

if (require.main === module) {
  runChecks().then((results) => {
    if (report(results).length > 0) process.exitCode = 1;
  });
}
