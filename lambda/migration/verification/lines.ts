/**
 * The line format of the verifier's partition files: tab-separated fields, one
 * record a line. Fields that may hold any character (decoded object keys) are
 * escaped so a record is always exactly one line.
 */

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const UNESCAPES: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/** `a\tb` → `a\\tb`: no tab, line break or lone backslash is left. */
export function escapeField(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (character) => ESCAPES[character]) : text;
}

/** The inverse of escapeField. */
export function unescapeField(text: string): string {
  return text.includes('\\') ? text.replace(/\\(.)/g, (_, character: string) => UNESCAPES[character]) : text;
}

/** Index of the tab that ends the first `fields` fields of `line`, or -1. */
export function endOfFields(line: string, fields: number): number {
  let index = -1;
  for (let field = 0; field < fields; field++) {
    index = line.indexOf('\t', index + 1);
    if (index < 0) return -1;
  }
  return index;
}

/**
 * Compares strings by Unicode code point, which is also the byte order of
 * their UTF-8 encodings (the order S3 lists keys in). JavaScript's `<` compares
 * UTF-16 code units and puts U+E000–U+FFFF after the supplementary planes.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (supplementary planes) rank above U+E000–U+FFFF in code point order.
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, mixed with a seed (one per partitioning level). */
export function hashString(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche, so low bits (the partition index) depend on every character.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
