import {
  decodeInventoryKey,
  ObjectRecords,
  parseCsvRow,
  parseInventoryManifest,
  readInventoryRow,
  type InventoryRow,
  type InventorySchema,
} from '../../../../lambda/migration/verification/inventory';
import {
  encodeInventoryKey,
  FULL_SCHEMA,
  inventoryRow,
  type InventoryObject,
} from '../../../../bench/migration/generate';

const manifest = (fields: Record<string, unknown> = {}) => ({
  sourceBucket: 'clover-us-enclave-data',
  fileFormat: 'CSV',
  fileSchema: FULL_SCHEMA.join(', '),
  files: [{ key: 'inventory/data/a.csv.gz', size: 10, MD5checksum: 'F11166069F1990ABEB9C97ACE9CDFABC' }],
  ...fields,
});

function schema(): InventorySchema {
  const parsed = parseInventoryManifest(manifest());
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed.schema;
}

function row(object: InventoryObject): InventoryRow {
  const read = readInventoryRow(parseCsvRow(inventoryRow(object, 'bucket', FULL_SCHEMA))!, schema());
  if (typeof read === 'string') throw new Error(read);
  return read;
}

describe('S3 Inventory keys', () => {
  test.each([
    ['a key with spaces.txt', 'a+key+with+spaces.txt'],
    ['c++/notes+1.md', 'c%2B%2B%2Fnotes%2B1.md'],
    ['r&d/Bjørk – Ωmega 日本.pdf', 'r%26d%2FBj%C3%B8rk+%E2%80%93+%CE%A9mega+%E6%97%A5%E6%9C%AC.pdf'],
    ['emoji 🎉/(1)~!.png', 'emoji+%F0%9F%8E%89%2F%281%29%7E%21.png'],
  ])('decodes %j from its form-style URL encoding', (key, encoded) => {
    expect(encodeInventoryKey(key)).toBe(encoded);
    expect(decodeInventoryKey(encoded)).toBe(key);
  });

  test('decodes lower-case escapes and unescaped characters alike', () => {
    expect(decodeInventoryKey('a%2fb%c3%a9~*')).toBe('a/bé~*');
  });

  test.each([['bad%2'], ['bad%GG'], ['%C3%28 is not UTF-8'], ['%FF']])(
    'rejects the malformed key %j',
    (raw) => {
      expect(decodeInventoryKey(raw)).toBeUndefined();
    },
  );

  test('keeps an encoded U+FFFD', () => {
    expect(decodeInventoryKey('x%EF%BF%BDy')).toBe('x\ufffdy');
  });
});

describe('S3 Inventory CSV rows', () => {
  test('reads quoted, unquoted and empty fields, and a doubled quote inside quotes', () => {
    expect(parseCsvRow('"a","b,c",d,,"say ""hi"""')).toEqual(['a', 'b,c', 'd', '', 'say "hi"']);
    expect(parseCsvRow('"a",')).toEqual(['a', '']);
    expect(parseCsvRow('"a","","b"')).toEqual(['a', '', 'b']);
    expect(parseCsvRow('"a"",""b","c"')).toEqual(['a","b', 'c']);
    expect(parseCsvRow('""')).toEqual(['']);
  });

  test.each([['"unclosed'], ['"a"b,"c"']])('rejects the malformed row %j', (line) => {
    expect(parseCsvRow(line)).toBeUndefined();
  });

  test('names a row whose field count differs from the fileSchema', () => {
    expect(readInventoryRow(['bucket', 'key'], schema())).toMatch(
      /has 2 fields; the manifest's fileSchema names 12/,
    );
  });

  test('rejects a size that is not a whole number', () => {
    const fields = parseCsvRow(inventoryRow({ key: 'k', size: 1 }, 'bucket', FULL_SCHEMA))!;
    fields[5] = '12.5';
    expect(readInventoryRow(fields, schema())).toMatch(/Size "12.5", not a whole number/);
  });
});

describe('ETag comparability', () => {
  const md5 = '0cc175b9c0f1b6a831c399e269772661';

  test.each([
    ['an SSE-S3 single-part object', true, { encryption: 'SSE-S3' }],
    ['an unencrypted single-part object', true, { encryption: 'NOT-SSE' }],
    ['an SSE-KMS object', false, { encryption: 'SSE-KMS' }],
    ['a DSSE-KMS object', false, { encryption: 'DSSE-KMS' }],
    ['an SSE-C object', false, { encryption: 'SSE-C' }],
    ['a multipart object', false, { encryption: 'SSE-S3', multipart: true, etag: `${md5}-4` }],
    ['an object whose ETag is not 32 hex digits', false, { encryption: 'SSE-S3', etag: 'opaque' }],
  ])('the ETag of %s is an MD5 digest: %s', (_, expected, object) => {
    expect(row({ key: 'k', size: 1, etag: md5, ...object }).etagIsMd5).toBe(expected);
  });

  test('does not treat an ETag as MD5 when the inventory has no EncryptionStatus', () => {
    const columns = FULL_SCHEMA.filter((column) => column !== 'EncryptionStatus');
    const parsed = parseInventoryManifest(manifest({ fileSchema: columns.join(', ') }));
    if (typeof parsed === 'string') throw new Error(parsed);
    const read = readInventoryRow(
      parseCsvRow(inventoryRow({ key: 'k', etag: md5 }, 'b', columns))!,
      parsed.schema,
    );
    expect(read).toMatchObject({ etag: md5, etagIsMd5: false });
  });

  test('reads an ETag in quotes and upper case, as the S3 API returns it', () => {
    expect(row({ key: 'k', etag: `"${md5.toUpperCase()}"` })).toMatchObject({ etag: md5, etagIsMd5: true });
  });
});

describe('object comparison', () => {
  const compare = (before: InventoryObject, after: InventoryObject, versions = false) => {
    const records = new ObjectRecords(versions);
    const source = row(before);
    const mismatch = records.compare(
      records.identity(source),
      records.value(source),
      records.value(row(after)),
    );
    return { mismatch, records };
  };
  const md5 = (text: string) => text.repeat(32).slice(0, 32);

  test('accepts an SSE-KMS object re-encrypted under another key: same size, new ETag', () => {
    const { mismatch, records } = compare(
      { key: 'k', size: 5, etag: md5('a'), encryption: 'SSE-KMS' },
      { key: 'k', size: 5, etag: md5('b'), encryption: 'SSE-KMS' },
    );
    expect(mismatch).toBeUndefined();
    expect(records).toMatchObject({ etagCompared: 0, sizeOnly: 1 });
    expect(records.comparison()).toBe('key+size');
  });

  test('accepts a multipart object copied with another part size: same size, new ETag', () => {
    const { mismatch } = compare(
      { key: 'k', size: 5, etag: `${md5('a')}-3`, multipart: true },
      { key: 'k', size: 5, etag: `${md5('b')}-5`, multipart: true },
    );
    expect(mismatch).toBeUndefined();
  });

  test('reports a changed size', () => {
    const { mismatch } = compare(
      { key: 'a b', size: 5, etag: md5('a') },
      { key: 'a b', size: 6, etag: md5('a') },
    );
    expect(mismatch).toEqual({
      key: 'a b',
      reason: 'size',
      source: { size: 5, etag: md5('a'), deleteMarker: false },
      destination: { size: 6, etag: md5('a'), deleteMarker: false },
    });
  });

  test('reports different MD5 ETags of the same size, and says ETags were compared', () => {
    const { mismatch, records } = compare(
      { key: 'k', size: 5, etag: md5('a') },
      { key: 'k', size: 5, etag: md5('b') },
    );
    expect(mismatch?.reason).toBe('etag');
    expect(records.comparison()).toBe('key+size+etag');
  });

  test('compares ETags only where both sides are MD5 digests', () => {
    const { mismatch } = compare(
      { key: 'k', size: 5, etag: md5('a'), encryption: 'SSE-S3' },
      { key: 'k', size: 5, etag: md5('b'), encryption: 'SSE-KMS' },
    );
    expect(mismatch).toBeUndefined();
  });

  test('reports a version that became a delete marker, with --versions', () => {
    const { mismatch } = compare(
      { key: 'k', versionId: 'v1', size: 5 },
      { key: 'k', versionId: 'v1', isDeleteMarker: true },
      true,
    );
    expect(mismatch).toMatchObject({ key: 'k?versionId=v1', reason: 'delete-marker' });
  });
});

describe('manifest.json', () => {
  test('reads the source bucket, schema and data files, MD5 in lower case', () => {
    const parsed = parseInventoryManifest(manifest());
    expect(parsed).toMatchObject({
      sourceBucket: 'clover-us-enclave-data',
      files: [{ key: 'inventory/data/a.csv.gz', size: 10, md5Hex: 'f11166069f1990abeb9c97ace9cdfabc' }],
    });
  });

  test.each([
    ['an ORC inventory', { fileFormat: 'ORC' }, /fileFormat "ORC"; only CSV inventories are read/],
    [
      'a schema without Size',
      { fileSchema: 'Bucket, Key, ETag' },
      /without Size .* add Size to the inventory/,
    ],
    ['no sourceBucket', { sourceBucket: undefined }, /has no sourceBucket/],
    ['no files list', { files: 'none' }, /has no files list/],
    ['a file without key', { files: [{ size: 1 }] }, /files\[0\] has no key/],
  ])('rejects a manifest with %s', (_, fields, message) => {
    expect(parseInventoryManifest(manifest(fields))).toMatch(message);
  });
});
