#!/usr/bin/env node
// The `clover` command. It runs the esbuild bundle dist/cli/main.js
// (`npm run build:cli`; built before the tests and by `npm pack`) while the
// bundle is newer than every source it was built from; otherwise, in a
// checkout, it runs the TypeScript sources, compiled as they load
// (scripts/register-ts.js). Installed from the tarball, it runs the bundle.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli', 'main.js');

function bundleIsFresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), 'inputs.json'), 'utf8'));
    return inputs.every((input) => {
      try {
        return fs.statSync(path.join(root, input)).mtimeMs <= built;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * `clover audit` keeps every template and metadata file it reads alive to the end: hundreds of MB for a
 * large cloud assembly. With V8's default young generation (16 MB semi-spaces) the survivors are copied
 * through ~140 scavenges, over a second of a 256-enclave audit; 64 MB semi-spaces save a quarter to a third
 * (docs/audit.md). V8 reads the size only when the process starts, so the command starts Node once more
 * with it, unless the size is already given (in the node command or NODE_OPTIONS) or
 * CLOVER_NO_RESPAWN=1. Output, exit code and signals pass through unchanged.
 */
const AUDIT_NODE_FLAGS = ['--max-semi-space-size=64'];

/** The flags given to Node already: in the node command and in NODE_OPTIONS. */
function givenNodeFlags() {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
}

/** The respawned audit's flags: a V8 helper count only when none is given (a later flag would win). */
function auditNodeFlags() {
  const given = givenNodeFlags();
  return given.some((flag) => flag.startsWith('--v8-pool-size'))
    ? AUDIT_NODE_FLAGS
    : [...AUDIT_NODE_FLAGS, `--v8-pool-size=${v8PoolSize()}`];
}

/**
 * V8's helper threads (garbage collection, compilation), which Node starts 4 of. A large audit runs two
 * JavaScript threads, the main thread and the runtime proof's worker (docs/audit.md); helpers beyond the
 * cores those leave only take turns with them. Measured on the 2-vCPU bench machine, a 256-enclave audit,
 * 7 interleaved runs each: median 8.61 s with 4 helpers, 7.97 s with 1.
 */
function v8PoolSize() {
  const os = require('os');
  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  return Math.min(4, Math.max(1, cores - 2));
}

function respawnsWithFlags() {
  if (process.argv[2] !== 'audit' || process.env.CLOVER_NO_RESPAWN === '1') return false;
  return !givenNodeFlags().some((flag) => flag.startsWith('--max-semi-space-size'));
}

function runHere() {
  // Installed from the tarball there are no sources: the bundle is all there is.
  let entry = bundle;
  if (fs.existsSync(path.join(__dirname, 'main.ts')) && !bundleIsFresh()) {
    require('../scripts/register-ts');
    entry = path.join(__dirname, 'main.ts');
  }
  require(entry)
    .run(process.argv)
    .then((code) => {
      process.exitCode = code;
    });
}

function respawn() {
  const { spawn } = require('child_process');
  const flags = auditNodeFlags();
  if (process.env.CLOVER_DEBUG === '1')
    process.stderr.write(`clover: audit runs in a new Node process with ${flags.join(' ')}\n`);
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...flags, __filename, ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, CLOVER_NO_RESPAWN: '1' } },
  );
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  let started = false;
  child.once('spawn', () => (started = true));
  child.once('error', () => {
    // Node could not start again (no process slot, no executable): audit in this process instead.
    for (const signal of signals) process.off(signal, forward);
    if (!started) runHere();
  });
  child.once('exit', (code, signal) => {
    for (const item of signals) process.off(item, forward);
    // Ended by a signal: end the same way, so that a shell or CI sees what the audit saw.
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 2;
  });
}

/**
 * While the runtime proof's worker proves a large input, the audit's main thread yields to it (nice 10,
 * on Linux; docs/audit.md): the command's choice, so it is set here, for this process and the respawned
 * one, and not by `run()` for programs that call it. `CLOVER_AUDIT_NICE` given (0 to leave the priority
 * as it is) is kept.
 */
if (process.argv[2] === 'audit' && (process.env.CLOVER_AUDIT_NICE ?? '') === '')
  process.env.CLOVER_AUDIT_NICE = '10';

if (respawnsWithFlags()) respawn();
else runHere();
