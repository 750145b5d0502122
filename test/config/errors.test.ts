import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, formatProblem, loadConfig, MAX_QUOTED_LENGTH } from '../../lib/config';
import { quoteValue, shortenQuoted, shortenText } from '../../lib/config/errors';

const BLOB = 'A'.repeat(5000);

describe('values quoted in config errors', () => {
  test('a value up to the limit is quoted whole', () => {
    const value = 'x'.repeat(MAX_QUOTED_LENGTH);
    expect(quoteValue(value)).toBe(JSON.stringify(value));
    expect(quoteValue({ a: 1 })).toBe('{"a":1}');
  });

  test('a long string is cut, with an ellipsis inside its quotes and its length', () => {
    const quoted = quoteValue(BLOB);
    expect(quoted).toBe(`"${'A'.repeat(MAX_QUOTED_LENGTH - 3)}…" (5000 characters)`);
  });

  test('a long object is cut as JSON', () => {
    const shown = quoteValue({ enclaves: BLOB });
    expect(shown).toMatch(/^\{"enclaves":"A+… \(5015 characters\)$/);
    expect(shown.length).toBeLessThan(MAX_QUOTED_LENGTH + 30);
  });

  test('a cut never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(100); // 200 UTF-16 code units
    const cut = shortenText(emoji);
    expect(cut).toMatch(/^(😀)+… \(200 characters\)$/);
  });

  test('quoted strings and unbroken runs inside problem and fix texts are cut', () => {
    expect(shortenQuoted(`is enclave "${BLOB}" in ${BLOB} outside Europe`)).toBe(
      `is enclave "${'A'.repeat(77)}…" (5000 characters) in ${'A'.repeat(79)}… (5000 characters) outside Europe`,
    );
    const prose = 'use an https:// URL; Clover never sends monitoring data in clear text'.repeat(3);
    expect(shortenQuoted(prose)).toBe(prose);
  });

  test('formatProblem cuts the path and the value', () => {
    const line = formatProblem({ path: `enclaves.${BLOB}`, value: BLOB, problem: 'is bad', fix: 'fix it' });
    expect(line.length).toBeLessThan(250);
    expect(line).toMatch(
      /^enclaves\.A+… \(5009 characters\) "A+…" \(5000 characters\): is bad; fix: fix it$/,
    );
  });
});

describe('a config with pasted blobs', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-blob-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is rejected with every line of the error short', () => {
    const file = path.join(dir, 'blob.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        enclaves: [{ name: BLOB, account: BLOB, region: BLOB, cidr: BLOB }],
        monitoring: { account: '444444444444', region: 'eu-west-1', ingestUrl: BLOB },
        residency: { allowJurisdictions: [BLOB] },
        replication: [{ from: BLOB, to: BLOB, dataClass: 'personal' }],
      }),
    );
    let message = '';
    try {
      loadConfig({ configPath: file, today: '2026-11-23' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    const lines = message.split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter((line) => line.length > 500)).toEqual([]);
    expect(message).toMatch(/enclaves\[0\]\.name "A+…" \(5000 characters\): is not a valid enclave name/);
    expect(message.length).toBeLessThan(5000);
  });

  test('-c config given the JSON itself says to save it in a file, without echoing it', () => {
    const json = JSON.stringify({ enclaves: [{ name: BLOB }] });
    expect(() => loadConfig({ configPath: json })).toThrow(
      /-c config "\{\\"enclaves.*…" \(\d+ characters\): is JSON, not the path of a file; fix: save the config in a file/,
    );
    expect(() => loadConfig({ configPath: json })).not.toThrow(/A{100}/);
  });
});
