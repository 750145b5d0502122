import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'main.js');

function clover(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'cli', 'clover.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
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
});
