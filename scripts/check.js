#!/usr/bin/env node
// The static half of `npm test`: ESLint, Prettier and the TypeScript type
// check, run side by side (each is single-threaded for most of its run) with
// each tool's output printed whole, in a fixed order, once all have finished.
// Exits non-zero if any of them fails, naming which.
const { spawn } = require('child_process');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const CHECKS = [
  { name: 'eslint', command: bin('eslint'), args: ['.'] },
  { name: 'prettier', command: bin('prettier'), args: ['--check', '.'] },
  { name: 'tsc', command: bin('tsc'), args: ['--noEmit'] },
];

function run(check) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(check.command, check.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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

Promise.all(CHECKS.map(run)).then((results) => {
  for (const result of results) {
    const verdict = result.code === 0 ? 'ok' : `FAILED (exit ${result.code})`;
    process.stdout.write(
      `> ${result.name} ${result.args.join(' ')}: ${verdict} in ${result.seconds.toFixed(1)} s\n`,
    );
    if (result.code !== 0 || result.output.trim() !== '') process.stdout.write(result.output);
  }
  const failed = results.filter((result) => result.code !== 0).map((result) => result.name);
  if (failed.length > 0) {
    process.stderr.write(`static checks failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
});
