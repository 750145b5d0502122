import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadConfig, resolveToday } from '../../lib/config';
import { jsonErrorOffset } from '../../lib/config/json-syntax';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  test('loads the embedded default when no file is given', () => {
    const loaded = loadConfig({ today: '2026-11-23' });
    expect(loaded.source).toBe('embedded default');
    expect(loaded.config.enclaves).toHaveLength(3);
  });

  test('loads examples/interim-us.json and keeps its interim enclave', () => {
    const loaded = loadConfig({ configPath: 'examples/interim-us.json', today: '2026-11-23' });
    expect(loaded.config.enclaves.find((e) => e.name === 'interim-us')?.interim).toEqual({
      sunset: '2030-12-31',
      migrateTo: 'dublin-1',
      phase: 'hosting',
      history: [],
    });
  });

  test('fails examples/interim-us.json the day after its sunset', () => {
    expect(() => loadConfig({ configPath: 'examples/interim-us.json', today: '2031-01-01' })).toThrow(
      /interim\.sunset "2030-12-31": has passed/,
    );
  });

  test('rejects a missing file, naming it', () => {
    expect(() => loadConfig({ configPath: path.join(dir, 'nope.json') })).toThrow(
      /nope\.json": names a file that does not exist/,
    );
  });

  test('rejects malformed JSON, naming the file and the line and column to fix', () => {
    const file = write('bad.json', '{\n  "enclaves": [ }\n}');
    expect(() => loadConfig({ configPath: file })).toThrow(/bad\.json": is not valid JSON \(/);
    expect(() => loadConfig({ configPath: file })).toThrow(/fix the JSON syntax at line 2, column 17/);
  });

  test('rejects a truncated JSON file, saying that it ends too soon', () => {
    const file = write('short.json', '{ "enclaves": [');
    expect(() => loadConfig({ configPath: file })).toThrow(
      /short\.json": is not valid JSON \(Unexpected end of JSON input\).*the file ends before the JSON does/s,
    );
  });

  test('rejects an empty file', () => {
    expect(() => loadConfig({ configPath: write('empty.json', '  \n') })).toThrow(/is empty/);
  });

  test('rejects a directory', () => {
    expect(() => loadConfig({ configPath: dir })).toThrow(ConfigError);
  });
});

describe('resolveToday', () => {
  test('prefers the explicit date', () => {
    expect(resolveToday('2027-01-02', { SOURCE_DATE_EPOCH: '0' })).toBe('2027-01-02');
  });
  test('falls back to SOURCE_DATE_EPOCH', () => {
    expect(resolveToday(undefined, { SOURCE_DATE_EPOCH: '1800000000' })).toBe('2027-01-15');
  });
  test('rejects a malformed date', () => {
    expect(() => resolveToday('23/11/2026', {})).toThrow(/-c today "23\/11\/2026": is not a date/);
  });
  test('rejects a malformed SOURCE_DATE_EPOCH', () => {
    expect(() => resolveToday(undefined, { SOURCE_DATE_EPOCH: 'soon' })).toThrow(/SOURCE_DATE_EPOCH "soon"/);
  });
});

describe('jsonErrorOffset: where the JSON of a config file breaks', () => {
  test.each([
    ['{"a": 1,}', 8],
    ["{'a': 1}", 1],
    ['{"a": 1} // note', 9],
    ['[1, 2', 5],
    ['{"a" 1}', 5],
    ['{"a": "tab\there"}', 6],
    ['{"a": "\\x"}', 6],
    ['{"a": 01}', 7],
    ['\uFEFF{}', 0],
  ])('%j breaks at offset %d', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  test.each(['{}', ' [1, -2.5e3, true, false, null, "a\\"\\u00e9"] ', '{"a": {"b": [{}]}}'])(
    'finds nothing wrong in %j, as JSON.parse does',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorOffset(text)).toBeUndefined();
    },
  );

  test('gives up, without throwing, on nesting too deep to walk', () => {
    expect(jsonErrorOffset('['.repeat(200_000))).toBeUndefined();
  });
});
