import {
  canonicalAttributeValue,
  canonicalItem,
  canonicalNumber,
  ItemRecords,
  parseExportSummary,
  parseFilesManifestLine,
  readExportItem,
} from '../../../../lambda/migration/verification/dynamodb-export';

const line = (item: Record<string, unknown>) => JSON.stringify({ Item: item });

const book = {
  Id: { N: '103' },
  Title: { S: 'Book 103 Title' },
  Authors: { SS: ['Author1', 'Author2'] },
  Dimensions: { M: { width: { N: '8.5' }, height: { N: '11.0' } } },
  Chapters: { L: [{ S: 'one' }, { S: 'two' }] },
  InPublication: { BOOL: false },
  Cover: { B: 'aGVsbG8=' },
  Notes: { NULL: true },
};

function read(text: string, key = ['Id']) {
  const item = readExportItem(text, key);
  if (typeof item === 'string') throw new Error(item);
  return item;
}

describe('DynamoDB numbers', () => {
  test.each([
    ['1.50', '15e-1'],
    ['+1.5', '15e-1'],
    ['15e-1', '15e-1'],
    ['100', '1e2'],
    ['0.000', '0'],
    ['-0', '0'],
    ['-012.3400', '-1234e-2'],
    ['42', '42'],
  ])('spells %s as %s', (text, canonical) => {
    expect(canonicalNumber(text)).toBe(canonical);
  });

  test('keeps what is not a number as it is', () => {
    expect(canonicalNumber('NaN')).toBe('NaN');
  });
});

describe('canonical DynamoDB JSON', () => {
  test('does not depend on attribute order, map order, set order or number spelling', () => {
    const shuffled = {
      Notes: { NULL: true },
      Cover: { B: 'aGVsbG8=' },
      InPublication: { BOOL: false },
      Chapters: { L: [{ S: 'one' }, { S: 'two' }] },
      Dimensions: { M: { height: { N: '11' }, width: { N: '8.50' } } },
      Authors: { SS: ['Author2', 'Author1'] },
      Title: { S: 'Book 103 Title' },
      Id: { N: '103.0' },
    };
    expect(canonicalItem(shuffled)).toBe(canonicalItem(book));
    expect(read(line(shuffled)).sha256).toBe(read(line(book)).sha256);
  });

  test('keeps the order of a list', () => {
    const reordered = { ...book, Chapters: { L: [{ S: 'two' }, { S: 'one' }] } };
    expect(read(line(reordered)).sha256).not.toBe(read(line(book)).sha256);
  });

  test('sorts number sets by canonical spelling', () => {
    expect(canonicalAttributeValue({ NS: ['10', '2.0', '1e1'] })).toBe(
      canonicalAttributeValue({ NS: ['2', '1e1', '10.0'] }),
    );
  });

  test.each([
    ['a string changed', { Title: { S: 'Book 103 title' } }],
    ['a number changed', { Id: { N: '104' } }],
    ['a set member added', { Authors: { SS: ['Author1', 'Author2', 'Author3'] } }],
    ['a nested map value changed', { Dimensions: { M: { width: { N: '8.5' }, height: { N: '11.5' } } } }],
    ['a type changed', { InPublication: { S: 'false' } }],
    ['an attribute added', { Isbn: { S: '333-3333333333' } }],
  ])('changes the hash with %s', (_, change) => {
    expect(read(line({ ...book, ...change })).sha256).not.toBe(read(line(book)).sha256);
  });
});

describe('export items', () => {
  test('keys an item by its primary key attributes, in --key order, as DynamoDB JSON', () => {
    const item = read(line({ pk: { S: 'user#1' }, sk: { N: '7.0' }, name: { S: 'Ada' } }), ['pk', 'sk']);
    expect(item.key).toBe('{"pk":{"S":"user#1"},"sk":{"N":"7"}}');
    expect(item.sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test.each([
    ['not JSON', '{"Item":', /is not JSON/],
    ['no Item', '{"Keys":{}}', /has no "Item" object/],
    [
      'no key attribute',
      line({ other: { S: 'x' } }),
      /has no attribute "Id" \(it has: other\); --key must name/,
    ],
    ['a key of a non-key type', line({ Id: { SS: ['a'] } }), /"Id" of type SS, not S, N or B/],
  ])('rejects a line with %s', (_, text, message) => {
    expect(readExportItem(text, ['Id'])).toMatch(message);
  });

  test('reports an item changed in one attribute with both hashes', () => {
    const records = new ItemRecords(['Id']);
    const before = read(line(book));
    const after = read(line({ ...book, Title: { S: 'Changed' } }));
    expect(records.compare(before.key, before.sha256, after.sha256)).toEqual({
      key: '{"Id":{"N":"103"}}',
      reason: 'content',
      source: { sha256: Buffer.from(before.sha256, 'base64').toString('hex') },
      destination: { sha256: Buffer.from(after.sha256, 'base64').toString('hex') },
    });
    expect(records.compare(before.key, before.sha256, before.sha256)).toBeUndefined();
  });
});

describe('export manifests', () => {
  const summary = {
    version: '2020-06-30',
    exportArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/ProductCatalog/export/01234567890123-a1b2c3d4',
    tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/ProductCatalog',
    manifestFilesS3Key: 'AWSDynamoDB/01345678901234-abc12345/manifest-files.json',
    itemCount: 8,
    outputFormat: 'DYNAMODB_JSON',
  };

  test('reads the table name from tableArn', () => {
    expect(parseExportSummary(summary)).toEqual({
      tableArn: summary.tableArn,
      table: 'ProductCatalog',
      manifestFilesKey: summary.manifestFilesS3Key,
    });
  });

  test.each([
    ['an Ion export', { outputFormat: 'ION' }, /outputFormat "ION"; only DYNAMODB_JSON exports are read/],
    ['an incremental export', { exportType: 'INCREMENTAL_EXPORT' }, /--export-type FULL_EXPORT/],
    ['no table ARN', { tableArn: 'ProductCatalog' }, /not a DynamoDB table ARN/],
    ['no files manifest', { manifestFilesS3Key: '' }, /has no manifestFilesS3Key/],
  ])('rejects %s', (_, change, message) => {
    expect(parseExportSummary({ ...summary, ...change })).toMatch(message);
  });

  test('reads a files manifest line', () => {
    const entry = {
      itemCount: 8,
      md5Checksum: 'sQMSpEILNgoQmarvDFonGQ==',
      etag: 'af83d6f217c19b8b0fff8023d8ca4716-1',
      dataFileS3Key: 'AWSDynamoDB/11111111111111-22222222/data/33334444EXAMPLE.json.gz',
    };
    expect(parseFilesManifestLine(JSON.stringify(entry))).toEqual({ key: entry.dataFileS3Key, itemCount: 8 });
    expect(parseFilesManifestLine('{"itemCount":1}')).toMatch(/has no dataFileS3Key/);
    expect(parseFilesManifestLine('{"dataFileS3Key":"k","itemCount":-1}')).toMatch(
      /itemCount -1, not a count/,
    );
  });
});
