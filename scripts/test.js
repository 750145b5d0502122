#!/usr/bin/env node
// `npm test`: the static checks (scripts/check.js) and jest at once. The
// checks run at the lowest CPU priority, so they take only what jest leaves
// idle (timer waits, child processes) and jest's timings are not disturbed;
// on 2 cores npm test took 77-84 s this way, ~89 s one after the other
// (docs/BENCHMARKS.md). Arguments go to jest: `npm test -- test/config`.
// Exits non-zero if jest or any check fails; the checks report after jest.
// jest's globalSetup builds the CLI bundle (test/global-setup.js).
const { spawn } = require('child_process');
const path = require('path');
const { runChecks, report } = require('./check');

const root = path.join(__dirname, '..');

async function main() {
  const checks = runChecks(19);
  const jestCode = await new Promise((resolve) => {
    const jest = spawn(
      process.execPath,
      [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...process.argv.slice(2)],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    jest.on('error', (error) => {
      process.stderr.write(`jest did not start: ${error.message}\n`);
      resolve(1);
    });
    jest.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  const failed = report(await checks);
  if (jestCode !== 0) process.stderr.write(`jest failed (exit ${jestCode})\n`);
  process.exitCode = jestCode !== 0 || failed.length > 0 ? 1 : 0;
}

main();
