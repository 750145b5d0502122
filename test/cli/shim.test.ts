import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'main.js');

function clover(...args: string[]) {
  return cloverWith({}, ...args);
}

function cloverWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'cli', 'clover.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CLOVER_NO_RESPAWN: '', CLOVER_DEBUG: '', NODE_OPTIONS: '', ...env },
  });
}

describe('cli/clover.js', () => {
  test('runs the bundle built before the suite', () => {
    const result = clover('--version');
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: '0.1.0' });
  });

  test('falls back to the TypeScript sources when the bundle is older than a source', () => {
    const { atime, mtime } = fs.statSync(BUNDLE);
    fs.utimesSync(BUNDLE, new Date(0), new Date(0));
    try {
      const result = clover(
        'audit',
        'test/fixtures/audit/compliant.json',
        '--region',
        'eu-west-1',
        '--format',
        'json',
      );
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout).summary.verdict).toBe('pass');
    } finally {
      fs.utimesSync(BUNDLE, atime, mtime);
    }
  });
  test('audit runs in a new Node process with larger semi-spaces and fewer V8 helpers; output and exit code pass through', () => {
    const respawned =
      /^clover: audit runs in a new Node process with --max-semi-space-size=64 --v8-pool-size=(\d+)$/m;
    const findings = cloverWith({ CLOVER_DEBUG: '1' }, 'audit', 'test/fixtures/audit/violation-routing.json');
    // As many helpers as the cores the two JavaScript threads leave, at least 1 and at most Node's 4.
    const helpers = Math.min(4, Math.max(1, os.availableParallelism() - 2));
    expect(respawned.exec(findings.stderr)?.[1]).toBe(String(helpers));
    expect({ status: findings.status, verdict: /^clover audit: fail/.test(findings.stdout) }).toEqual({
      status: 1,
      verdict: true,
    });
    const bad = cloverWith({ CLOVER_DEBUG: '1' }, 'audit', 'test/fixtures/audit/no-such-file.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no-such-file\.json does not exist/);
    // A helper count the user gives is theirs (a flag after it would win): only the semi-spaces are added.
    const ownPool = cloverWith(
      { CLOVER_DEBUG: '1', NODE_OPTIONS: '--v8-pool-size=3' },
      'audit',
      'test/fixtures/audit/compliant.json',
    );
    expect({ status: ownPool.status, stderr: ownPool.stderr }).toEqual({
      status: 0,
      stderr: expect.stringMatching(
        /^clover: audit runs in a new Node process with --max-semi-space-size=64$/m,
      ),
    });
    // Given the size already, or told not to, it audits in the first process.
    for (const env of [{ NODE_OPTIONS: '--max-semi-space-size=32' }, { CLOVER_NO_RESPAWN: '1' }]) {
      const here = cloverWith({ ...env, CLOVER_DEBUG: '1' }, 'audit', 'test/fixtures/audit/compliant.json');
      expect({ status: here.status, respawned: respawned.test(here.stderr) }).toEqual({
        status: 0,
        respawned: false,
      });
    }
    // Other commands never start a second process.
    expect(cloverWith({ CLOVER_DEBUG: '1' }, '--version').stderr).not.toMatch(respawned);
  });
});
