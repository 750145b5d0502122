import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run as runClover } from '../../cli/main';
import { flowLogMessages, makePayload } from '../fixtures/shipper/flow-logs';
import { makeCertificates, type TestCertificates } from '../lambda/log-shipper/support/certificates';
import {
  DEFAULT_SETTINGS,
  expectInvariant,
  MATRIX,
  type CaseInput,
  type RunSettings,
  type ShipperRun,
} from '../lambda/log-shipper/support/matrix';
import { always, sequence, startMonitor, TEST_TOKEN } from '../lambda/log-shipper/support/monitor';
import { cloverProcess, type CloverInvocation } from '../helpers/clover-process';
import { captureOutput } from '../helpers/output';

const COUNTER_KEYS = ['eventsIn', 'delivered', 'archived', 'deadLettered', 'requests', 'retries'];

jest.setTimeout(60_000);

let certificates: TestCertificates;
beforeAll(() => {
  certificates = makeCertificates();
});

type Invocation = CloverInvocation;

/** `node cli/clover.js ship …` as a child process (async: the test monitor runs in this process). */
const clover = (args: readonly string[]) => cloverProcess(args);

/**
 * The same command in this process (`run` is what the bin calls), for cases
 * that need no separate process; output is captured, so calls must not overlap.
 */
async function cloverInProcess(args: readonly string[]): Promise<Invocation> {
  const { result: code, stdout, stderr } = await captureOutput(() => runClover(['node', 'clover', ...args]));
  return { code, stdout, stderr };
}

/** A working folder with token, key, CA, payload, archive and DLQ paths. */
function workspace(payloadText: string) {
  const directory = mkdtempSync(join(tmpdir(), 'clover-ship-'));
  const files = {
    payload: join(directory, 'payload.b64'),
    token: join(directory, 'token'),
    key: join(directory, 'hmac.key'),
    archive: join(directory, 'archive'),
    dlq: join(directory, 'dlq'),
  };
  writeFileSync(files.payload, payloadText);
  writeFileSync(files.token, `${TEST_TOKEN}\n`);
  writeFileSync(files.key, 'k'.repeat(48));
  return files;
}

function shipArgs(files: ReturnType<typeof workspace>, url: string, settings: RunSettings): string[] {
  return [
    'ship',
    '--payload',
    files.payload,
    '--ingest-url',
    url,
    '--token-file',
    files.token,
    '--hmac-key-file',
    files.key,
    '--ca',
    certificates.caFile,
    '--enclave',
    'dublin-1',
    '--account',
    '111111111111',
    '--archive-dir',
    files.archive,
    '--dlq-dir',
    files.dlq,
    '--max-request-bytes',
    String(settings.maxRequestBytes),
    '--deadline-ms',
    String(settings.deadlineMs),
    '--request-timeout-ms',
    String(settings.requestTimeoutMs),
  ];
}

function filesUnder(directory: string): string[] {
  try {
    return readdirSync(directory, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

async function runShip(
  files: ReturnType<typeof workspace>,
  url: string,
  settings: RunSettings,
  invoke: (args: readonly string[]) => Promise<Invocation> = clover,
) {
  const invocation = await invoke(shipArgs(files, url, settings));
  const lines = invocation.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const counters = JSON.parse(lines[0]) as ShipperRun['counters'];
  expect(Object.keys(counters)).toEqual(COUNTER_KEYS);
  const run: ShipperRun = {
    counters,
    deadLetterBodies: filesUnder(files.dlq).map((file) => readFileSync(file, 'utf8')),
    archiveObjects: filesUnder(files.archive).length,
  };
  return { invocation, run };
}

const inputText = (input: CaseInput) => ('payload' in input ? input.payload.base64 : input.malformed);

describe('fault-injection matrix through `clover ship` (local archive and DLQ folders)', () => {
  test.concurrent.each(MATRIX.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_name, testCase) => {
      const monitor = await startMonitor(
        testCase.server === 'untrusted' ? certificates.untrusted : certificates.trusted,
        testCase.behaviour,
      );
      try {
        const settings = { ...DEFAULT_SETTINGS, ...testCase.settings };
        const url = testCase.unresolvable ? monitor.url.replace('127.0.0.1', 'monitor.invalid') : monitor.url;
        const input = testCase.input();
        const files = workspace(inputText(input));
        const { invocation, run } = await runShip(files, url, settings);
        expectInvariant(testCase, input, monitor, run);
        const anythingDeadLettered = run.deadLetterBodies.length > 0;
        expect(invocation.code).toBe(anythingDeadLettered ? 3 : 0);
        expect(anythingDeadLettered).toBe(testCase.deadLettered !== 'none' || 'malformed' in input);
      } finally {
        await monitor.close();
      }
    },
  );
});

describe('clover ship', () => {
  test('a duplicate replay adds no archive file and still delivers (the monitor deduplicates by id)', async () => {
    const monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    try {
      const payload = makePayload({ messages: flowLogMessages(30, 5) });
      const files = workspace(payload.base64);
      const first = await runShip(files, monitor.url, DEFAULT_SETTINGS);
      const archived = filesUnder(files.archive);
      const second = await runShip(files, monitor.url, DEFAULT_SETTINGS);
      expect(archived).toHaveLength(1);
      expect(archived[0]).toMatch(/archive\/dublin-1\/111111111111\/2026\/11\/18\/[0-9a-f]{64}\.ndjson\.gz$/);
      expect(filesUnder(files.archive)).toEqual(archived);
      expect(first.run.counters).toMatchObject({ eventsIn: 30, delivered: 30, archived: 30 });
      expect(second.run.counters).toMatchObject({ eventsIn: 30, delivered: 30, archived: 30 });
      expect([first.invocation.code, second.invocation.code]).toEqual([0, 0]);
      expect(monitor.acknowledged).toHaveLength(60);
    } finally {
      await monitor.close();
    }
  });

  test('without --account or CLOVER_ACCOUNT a local run archives under `local`, as its enclave defaults to `local`', async () => {
    const monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    try {
      const payload = makePayload({ messages: flowLogMessages(3, 1) });
      const files = workspace(payload.base64);
      const args = shipArgs(files, monitor.url, DEFAULT_SETTINGS).filter(
        (arg, index, all) => arg !== '--account' && all[index - 1] !== '--account',
      );
      const saved = process.env.CLOVER_ACCOUNT;
      delete process.env.CLOVER_ACCOUNT;
      try {
        expect((await cloverInProcess(args)).code).toBe(0);
      } finally {
        if (saved !== undefined) process.env.CLOVER_ACCOUNT = saved;
      }
      expect(filesUnder(files.archive)).toEqual([
        expect.stringMatching(/archive\/dublin-1\/local\/2026\/11\/18\/[0-9a-f]{64}\.ndjson\.gz$/),
      ]);
    } finally {
      await monitor.close();
    }
  });

  test('an undecodable payload exits 3 with eventsIn 0 and the raw payload, byte for byte, in the DLQ folder', async () => {
    const monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    try {
      const raw = 'H4sI this is not base64!\nat all\n';
      const files = workspace(raw);
      const { invocation, run } = await runShip(files, monitor.url, DEFAULT_SETTINGS);
      expect(invocation.code).toBe(3);
      expect(run.counters).toEqual({
        eventsIn: 0,
        delivered: 0,
        archived: 0,
        deadLettered: 0,
        requests: 0,
        retries: 0,
      });
      expect(run.deadLetterBodies).toHaveLength(1);
      const message = JSON.parse(run.deadLetterBodies[0]) as Record<string, unknown>;
      expect(message).toMatchObject({
        version: 1,
        kind: 'payload',
        enclave: 'dublin-1',
        format: 'subscription-base64',
        part: 1,
        parts: 1,
      });
      expect(message.reason).toMatch(/not valid base64/);
      expect(Buffer.from(message.data as string, 'base64').toString('utf8')).toBe(raw);
      expect(invocation.stderr).toMatch(/dead-lettered the whole payload to .*: payload is not valid base64/);
    } finally {
      await monitor.close();
    }
  });

  test('counts the events of a poisoned payload as dead-lettered in its summary', async () => {
    const monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    try {
      const poisoned = JSON.parse(makePayload({ messages: flowLogMessages(6, 2) }).json);
      poisoned.logEvents[4].message = { not: 'a string' };
      const files = workspace(JSON.stringify(poisoned));
      const { invocation, run } = await runShip(files, monitor.url, DEFAULT_SETTINGS);
      expect(invocation.code).toBe(3);
      expect(run.counters).toMatchObject({ eventsIn: 6, delivered: 0, archived: 0, deadLettered: 6 });
      expect(run.deadLetterBodies).toHaveLength(1);
      expect(invocation.stderr).toMatch(
        /dead-lettered the whole payload \(6 event\(s\)\) to .*: .*logEvents\[4\]\.message must be a string/,
      );
      expect(monitor.requests).toBe(0);
    } finally {
      await monitor.close();
    }
  });

  test('reports progress on stderr while it retries, and still prints one summary line', async () => {
    const monitor = await startMonitor(certificates.trusted, sequence({ status: 503 }, { status: 500 }));
    try {
      const payload = makePayload({ messages: flowLogMessages(8, 3) });
      const files = workspace(payload.base64);
      const { invocation, run } = await runShip(files, monitor.url, DEFAULT_SETTINGS);
      expect(invocation.code).toBe(0);
      expect(run.counters).toMatchObject({ eventsIn: 8, delivered: 8, retries: 2 });
      const progress = invocation.stderr.split('\n').filter((line) => line.includes('retrying in'));
      // The first retry is always reported; the second may fall within the same second and be counted in a later line.
      expect(progress.length).toBeGreaterThanOrEqual(1);
      expect(progress.length).toBeLessThanOrEqual(2);
      expect(progress[0]).toMatch(
        /^clover ship: HTTP 503 \(attempt 1, 8 event\(s\)\); retrying in \d+\.\d s, deadline in \d+\.\d s$/,
      );
    } finally {
      await monitor.close();
    }
  });

  test('names a monitor that refuses connections while it retries, then dead-letters at the deadline', async () => {
    // A port that was just listening and is closed again: connections are refused.
    const closed = await startMonitor(certificates.trusted, always({ status: 200 }));
    await closed.close();
    const files = workspace(makePayload({ messages: flowLogMessages(3, 4) }).base64);
    const { invocation, run } = await runShip(files, closed.url, { ...DEFAULT_SETTINGS, deadlineMs: 1500 });
    expect(invocation.code).toBe(3);
    expect(run.counters).toMatchObject({ eventsIn: 3, delivered: 0, deadLettered: 3 });
    expect(invocation.stderr).toMatch(
      /clover ship: the monitor refused the connection \(ECONNREFUSED\) \(attempt 1, 3 event\(s\)\); retrying in/,
    );
    expect(invocation.stderr).toMatch(
      /dead-lettered 3 event\(s\) to .*: the monitor refused the connection \(ECONNREFUSED\)/,
    );
    expect(invocation.stderr).not.toMatch(/internal error/);
  });

  test('accepts the decoded JSON of a payload as well as its base64 body', async () => {
    const monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    try {
      const payload = makePayload({ messages: flowLogMessages(12, 4) });
      const files = workspace(payload.json);
      const { invocation, run } = await runShip(files, monitor.url, DEFAULT_SETTINGS, cloverInProcess);
      expect(invocation.code).toBe(0);
      expect(run.counters).toMatchObject({ eventsIn: 12, delivered: 12 });
      expect([...monitor.acknowledged].sort()).toEqual([...payload.ids].sort());
    } finally {
      await monitor.close();
    }
  });

  describe('exits 2 on bad usage, naming the problem', () => {
    const files = workspace(makePayload({ messages: ['x'] }).base64);
    const emptyKey = join(files.archive, '..', 'empty.key');
    writeFileSync(emptyKey, '\n');
    const directoryAsFile = join(files.archive, '..', 'a-directory');
    mkdirSync(directoryAsFile);
    const base = () => shipArgs(files, 'https://127.0.0.1:9/ingest', DEFAULT_SETTINGS);
    const replace = (args: string[], option: string, value: string) => {
      const copy = [...args];
      copy[copy.indexOf(option) + 1] = value;
      return copy;
    };
    test('as a process exit code', async () => {
      const invocation = await clover(replace(base(), '--payload', '/nonexistent/payload'));
      expect(invocation.code).toBe(2);
      expect(invocation.stdout).toBe('');
      expect(invocation.stderr).toMatch(/--payload \/nonexistent\/payload cannot be read \(ENOENT\)/);
    });

    test.each<[string, () => string[], RegExp]>([
      [
        'a missing payload file',
        () => replace(base(), '--payload', '/nonexistent/payload'),
        /--payload \/nonexistent\/payload cannot be read \(ENOENT\)/,
      ],
      [
        'an unreadable token file',
        () => replace(base(), '--token-file', directoryAsFile),
        /--token-file .* cannot be read \(EISDIR\)/,
      ],
      [
        'a non-https URL',
        () => replace(base(), '--ingest-url', 'http://127.0.0.1:9/ingest'),
        /--ingest-url "http:\/\/127.0.0.1:9\/ingest" is not https/,
      ],
      [
        'an empty HMAC key',
        () => replace(base(), '--hmac-key-file', emptyKey),
        /--hmac-key-file .* is empty/,
      ],
      [
        'a missing required option',
        () => base().filter((arg, index, all) => arg !== '--token-file' && all[index - 1] !== '--token-file'),
        /required option '--token-file <file>' not specified/,
      ],
      [
        'a bad number',
        () => replace(base(), '--deadline-ms', 'soon'),
        /--deadline-ms "soon" is not a positive integer/,
      ],
      [
        'a CA file without a certificate',
        () => replace(base(), '--ca', emptyKey),
        /--ca .* holds no PEM certificate/,
      ],
      [
        'an account that is not a 12-digit account ID',
        () => replace(base(), '--account', '1111-2222-3333'),
        /--account "1111-2222-3333" is not an AWS account ID; pass --account <the shipper's 12-digit account> or set CLOVER_ACCOUNT \(or local for a local run\)/,
      ],
    ])('%s', async (_name, args, message) => {
      const invocation = await cloverInProcess(args());
      expect(invocation.code).toBe(2);
      expect(invocation.stdout).toBe('');
      expect(invocation.stderr).toMatch(message);
      expect(invocation.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
