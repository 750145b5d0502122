import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readInputFile } from '../../../cli/audit/template-file';

describe('readInputFile', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-input-file-'));
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = path.join(directory, name);
    fs.writeFileSync(file, content);
    return file;
  };

  test.each([
    ['nothing', ''],
    ['ASCII whitespace', ' \t\r\n\v\f'],
    ['a byte-order mark and a no-break space', '\uFEFF\u00A0\n'],
  ])('a file of %s is empty', (name, content) => {
    expect(() => readInputFile(write(`${name}.json`, content))).toThrow(/is empty/);
  });

  test.each([
    ['JSON', '{}'],
    ['text after whitespace', '\n\n  x'],
    ['text after a byte-order mark', '\uFEFF{}'],
    ['a non-ASCII letter', ' é'],
  ])('a file of %s is read', (name, content) => {
    expect(readInputFile(write(`${name}.json`, content)).toString('utf8')).toBe(content);
  });
});
