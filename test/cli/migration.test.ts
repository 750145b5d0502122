import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { MINIMAL_SCHEMA, syntheticInventoryPair } from '../../bench/migration/generate';
import type { MigrationVerification } from '../../lambda/migration/verification/evidence';
import { FIXED_EPOCH, inventory, REPO, workspace } from './migration/reports';

jest.setTimeout(180_000);

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node [nodeOptions] cli/clover.js migration verify <args>` from the repository root, as users run it. */
function clover(args: readonly string[], options: { nodeOptions?: string[]; tmpdir?: string } = {}) {
  return new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeOptions ?? []), 'cli/clover.js', 'migration', 'verify', ...args],
      {
        cwd: REPO,
        env: {
          ...process.env,
          SOURCE_DATE_EPOCH: FIXED_EPOCH,
          ...(options.tmpdir ? { TMPDIR: options.tmpdir } : {}),
        },
        timeout: 170_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir: string;
let cleanup: () => void;
let scratch: string;
beforeEach(() => {
  ({ dir, cleanup } = workspace());
  scratch = path.join(dir, 'tmp');
  fs.mkdirSync(scratch);
});
afterEach(() => cleanup());

describe('clover migration verify over 1,000,000 objects per side', () => {
  let large: ReturnType<typeof workspace>;
  let pair: ReturnType<typeof syntheticInventoryPair>;
  beforeAll(() => {
    large = workspace();
    pair = syntheticInventoryPair(large.dir, 1_000_000, { columns: MINIMAL_SCHEMA, share: true });
  });
  afterAll(() => large.cleanup());

  test('verifies them in a 64 MB heap, where holding the keys in memory would not fit', async () => {
    // A Map of these million keys and sizes alone needs more than 64 MB of heap (node
    // --max-old-space-size=64 runs out of memory building it): the verifier passes only because its
    // memory does not grow with the count.
    const { code, stdout, stderr } = await clover(
      ['--source', pair.source.manifest, '--destination', pair.destination.manifest, '--format', 'json'],
      { nodeOptions: ['--max-old-space-size=64'], tmpdir: scratch },
    );
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const evidence = JSON.parse(stdout) as MigrationVerification;
    expect(evidence.objects).toEqual(pair.expected);
    expect(evidence.objects).toEqual({
      source: 1_000_000,
      destination: 1_000_002,
      missing: 3,
      mismatched: 2,
      extra: 5,
    });
    expect(evidence.missing).toEqual(
      [1, 3, 5].map((index) => `enclave/${index}/user ${index}+r&d-é-${index}.dat`),
    );
    expect(evidence.mismatched.map((mismatch) => [mismatch.key, mismatch.reason])).toEqual(
      [7, 9].map((index) => [`enclave/${index}/user ${index}+r&d-é-${index}.dat`, 'size']),
    );
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  test('removes its partition files when it is terminated halfway', async () => {
    const child = spawn(
      process.execPath,
      [
        'cli/clover.js',
        'migration',
        'verify',
        '--source',
        pair.source.manifest,
        '--destination',
        pair.destination.manifest,
      ],
      { cwd: REPO, env: { ...process.env, TMPDIR: scratch }, stdio: 'ignore' },
    );
    const closed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_, signal) => resolve(signal)),
    );
    // Wait until partition files exist, then stop it.
    const hasPartitions = () =>
      fs.readdirSync(scratch).some((folder) => {
        try {
          return fs.readdirSync(path.join(scratch, folder)).length > 0;
        } catch {
          return false;
        }
      });
    for (let waited = 0; !hasPartitions() && waited < 60_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(hasPartitions()).toBe(true);
    child.kill('SIGTERM');
    expect(await closed).toBe('SIGTERM');
    expect(fs.readdirSync(scratch)).toEqual([]);
  });
});

describe('clover migration verify as a process', () => {
  test('exits 2 with one line and no stack trace on a truncated data file, and leaves no scratch files', async () => {
    const source = inventory(dir, 'us', [{ key: 'a b.txt', size: 1 }]);
    const destination = inventory(dir, 'eu', [{ key: 'a b.txt', size: 1 }]);
    const bytes = fs.readFileSync(destination.dataFiles[0]);
    fs.writeFileSync(destination.dataFiles[0], bytes.subarray(0, bytes.length - 9));
    const { code, stdout, stderr } = await clover(
      ['--source', source.manifest, '--destination', destination.manifest],
      {
        tmpdir: scratch,
      },
    );
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(
      /^clover: --destination \S+: data file \S+ is truncated: its gzip stream ends early; copy it again \(aws s3 sync\)\n$/,
    );
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  test('exits 0 on a complete migration and 2 on a usage error', async () => {
    const source = inventory(dir, 'us', [{ key: 'a b.txt', size: 1 }]);
    const destination = inventory(dir, 'eu', [{ key: 'a b.txt', size: 1 }]);
    const complete = await clover(['--source', source.manifest, '--destination', destination.manifest]);
    expect(complete.code).toBe(0);
    expect(complete.stdout).toMatch(/^clover migration verify: complete\n/);
    const usage = await clover(['--source', source.manifest]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--destination <path>' not specified/);
  });
});
