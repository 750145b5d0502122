import { FirstInOrder } from '../../../../lambda/migration/verification/compare';
import {
  compareCodePoints,
  escapeField,
  hashString,
  unescapeField,
} from '../../../../lambda/migration/verification/lines';

describe('partition lines', () => {
  test.each([['plain'], ['tab\there'], ['line\nbreak\r'], ['back\\slash\\t'], ['']])(
    'round-trips %j',
    (text) => {
      const escaped = escapeField(text);
      expect(escaped).not.toMatch(/[\t\n\r]/);
      expect(unescapeField(escaped)).toBe(text);
    },
  );

  test('hashes with a seed, so each level of partitioning spreads keys anew', () => {
    const buckets = (seed: number) =>
      new Set(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => hashString(key, seed) % 64));
    expect(hashString('key', 0)).toBe(hashString('key', 0));
    expect(hashString('key', 0)).not.toBe(hashString('key', 1));
    expect(buckets(0).size).toBeGreaterThan(3);
  });
});

describe('key order', () => {
  test('orders by code point, as S3 lists keys (UTF-8 byte order)', () => {
    const keys = ['b', 'a', '\uffff', '😀', 'é', 'A', ''];
    expect([...keys].sort(compareCodePoints)).toEqual(['', 'A', 'a', 'b', 'é', '\uffff', '😀']);
    const bytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareCodePoints)).toEqual(bytes);
  });
});

describe('FirstInOrder', () => {
  test('keeps the first N of any number added, in order', () => {
    const first = new FirstInOrder<number>(3, (a, b) => a - b);
    for (const value of [9, 4, 7, 1, 8, 4, 2, 6]) first.add(value);
    expect(first.list).toEqual([1, 2, 4]);
  });
});
