import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/app/main';
import { captureOutput } from '../helpers/output';

/** Runs bin/clover.ts's main in-process with a context, capturing stderr. */
async function runMain(context: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  const { result: code, stderr } = await captureOutput(() =>
    main({ appProps: { context: { 'aws:cdk:bundling-stacks': [], ...context } } }),
  );
  return { code, stderr };
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe('bin/clover.ts main', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-main-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('rejects malformed JSON with one message naming the file, and no stack trace', async () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"enclaves": [');
    const { code, stderr } = await runMain({ config: file });
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.json": is not valid JSON/);
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  test('rejects a missing config file, naming it', async () => {
    const { code, stderr } = await runMain({ config: path.join(dir, 'missing.json') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.json": names a file that does not exist/);
  });

  test('fails on a misspelt context key, naming the key it resembles, instead of synthesizing the default', async () => {
    const { code, stderr } = await runMain({ conifg: 'my-clover.json' });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /-c conifg "my-clover\.json": is not a context key Clover reads; it resembles "config"/,
    );
    expect(stderr).toMatch(/fix: write -c config=my-clover\.json/);
    expect(stderr).not.toMatch(/Clover: /);
  });

  test.each([
    [{}, 'Clover: embedded default config\n'],
    [{ config: 'examples/sovereign-cloud.json' }, 'Clover: config examples/sovereign-cloud.json\n'],
  ])('names the config it uses (%j) in one stderr line, before synthesizing', async (context, line) => {
    // customise runs after the line and before synth: stopping there keeps the test cheap.
    const stop = new Error('stop before synth');
    const { result, stderr } = await captureOutput(() =>
      main({
        appProps: { context: { 'aws:cdk:bundling-stacks': [], today: '2026-11-23', ...context } },
        customise: () => {
          throw stop;
        },
      }).catch((error: unknown) => error),
    );
    expect(result).toBe(stop);
    expect(stderr).toBe(line);
  });

  test('rejects a malformed -c today', async () => {
    const { code, stderr } = await runMain({ today: 'tomorrow' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/-c today "tomorrow": is not a date/);
  });
});
