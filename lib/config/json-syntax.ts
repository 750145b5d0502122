/**
 * Where a JSON text breaks, for messages: Node 20's JSON.parse names a syntax error only by a snippet of
 * the text. Pure and dependency-free, so the config loader and the `clover audit` bundle share it.
 */

/** Where to fix a JSON syntax error: the line and column of the first one, or that the file ends too soon. */
export function jsonSyntaxFix(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return 'fix the JSON syntax';
  if (offset === text.length) return 'the file ends before the JSON does: close every {, [ and " it opens';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `fix the JSON syntax at line ${line}, column ${column}`;
}

const JSON_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
// JSON strings may not hold raw control characters (U+0000-U+001F): the class names them on purpose.
// eslint-disable-next-line no-control-regex
const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * The offset of the first JSON syntax error in `text` (RFC 8259), which
 * Node 20's JSON.parse names only as a snippet; undefined if none is found.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const token = (pattern: RegExp): boolean => {
    pattern.lastIndex = i;
    const match = pattern.exec(text);
    if (match) i += match[0].length;
    return match !== null;
  };
  const members = (close: string, member: () => void): void => {
    i++;
    skipSpace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      skipSpace();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') throw i;
      i++;
    }
  };
  const value = (): void => {
    skipSpace();
    if (text[i] === '{') {
      members('}', () => {
        skipSpace();
        if (!token(JSON_STRING)) throw i;
        skipSpace();
        if (text[i] !== ':') throw i;
        i++;
        value();
      });
    } else if (text[i] === '[') {
      members(']', value);
    } else if (!token(JSON_STRING) && !token(JSON_LITERAL)) {
      throw i;
    }
  };
  try {
    value();
    skipSpace();
    return i < text.length ? i : undefined;
  } catch (error) {
    if (typeof error === 'number') return error;
    return undefined; // nesting too deep to walk: JSON.parse's message stands alone
  }
}
