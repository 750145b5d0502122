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

  test('refuses cutover when the evidence shows one missing object, naming the store', async () => {
    const { code, stderr } = await runMain({
      config: 'examples/interim-us-cutover.json',
      migrationEvidence: 'test/fixtures/migration/one-missing',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /shows bucket clover-interim-us-personal-555555555555-us-east-1 \(data class personal\) of interim enclave "interim-us" incomplete in clover-dublin-1-personal-111111111111-eu-west-1: 1 missing object/,
    );
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  test('rejects a malformed -c today', async () => {
    const { code, stderr } = await runMain({ today: 'tomorrow' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/-c today "tomorrow": is not a date/);
  });
});
