import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/app/main';

/** Runs bin/clover.ts's main in-process with a context, capturing stderr. */
function runMain(context: Record<string, unknown>): { code: number; stderr: string } {
  const chunks: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = main({ appProps: { context: { 'aws:cdk:bundling-stacks': [], ...context } } });
    return { code, stderr: chunks.join('') };
  } finally {
    write.mockRestore();
  }
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe('bin/clover.ts main', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-main-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('rejects malformed JSON with one message naming the file, and no stack trace', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"enclaves": [');
    const { code, stderr } = runMain({ config: file });
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.json": is not valid JSON/);
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  test('rejects a missing config file, naming it', () => {
    const { code, stderr } = runMain({ config: path.join(dir, 'missing.json') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.json": names a file that does not exist/);
  });

  test('rejects a malformed -c today', () => {
    const { code, stderr } = runMain({ today: 'tomorrow' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/-c today "tomorrow": is not a date/);
  });
});
