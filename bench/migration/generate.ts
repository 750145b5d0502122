/**
 * Writes S3 Inventory reports and DynamoDB exports in the layouts AWS
 * documents, inside folders laid out as `aws s3 sync` copies the delivery
 * bucket. Used by the tests (test/cli/migration) and the benchmark (run.ts).
 *
 *   npx ts-node --transpile-only bench/migration/generate.ts <objects> <folder> [s3|dynamodb]
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** Every column an S3 Inventory CSV can hold that the verifier reads, in the order AWS writes them. */
export const FULL_SCHEMA = [
  'Bucket',
  'Key',
  'VersionId',
  'IsLatest',
  'IsDeleteMarker',
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
];

/** The least an inventory needs for the verifier: a current-versions inventory with Size only. */
export const MINIMAL_SCHEMA = ['Bucket', 'Key', 'Size'];

export interface InventoryObject {
  readonly key: string;
  readonly size?: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly isLatest?: boolean;
  readonly isDeleteMarker?: boolean;
  readonly multipart?: boolean;
  /** SSE-S3, SSE-KMS, DSSE-KMS, SSE-C or NOT-SSE. */
  readonly encryption?: string;
}

/**
 * A key as S3 Inventory writes it into CSV: URL-encoded form-style (a space
 * is `+`), with the characters Java's URLEncoder leaves alone kept as they are.
 */
export function encodeInventoryKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** MD5 (hex) of a string: a realistic single-part ETag. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** One CSV row, every field quoted as S3 Inventory writes it. */
export function inventoryRow(object: InventoryObject, bucket: string, columns: readonly string[]): string {
  const values: Record<string, string> = {
    Bucket: bucket,
    Key: encodeInventoryKey(object.key),
    VersionId: object.versionId ?? '',
    IsLatest: String(object.isLatest ?? true),
    IsDeleteMarker: String(object.isDeleteMarker ?? false),
    Size: object.isDeleteMarker ? '' : String(object.size ?? 0),
    LastModifiedDate: '2026-11-20T10:00:00.000Z',
    ETag: object.isDeleteMarker ? '' : (object.etag ?? ''),
    StorageClass: 'STANDARD',
    IsMultipartUploaded: String(object.multipart ?? false),
    ReplicationStatus: '',
    EncryptionStatus: object.encryption ?? 'SSE-S3',
  };
  return columns.map((column) => quote(values[column] ?? '')).join(',');
}

/** The CSV text of a data file: rows without a header, one a line. */
export function inventoryCsv(
  objects: readonly InventoryObject[],
  bucket: string,
  columns: readonly string[],
): string {
  return objects.map((object) => `${inventoryRow(object, bucket, columns)}\n`).join('');
}

function writeFile(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export interface InventoryReport {
  /** Folder standing for the delivery bucket (what `aws s3 sync` wrote). */
  readonly root: string;
  readonly sourceBucket: string;
  readonly destinationBucket?: string;
  /** Destination prefix of the inventory configuration. */
  readonly prefix?: string;
  readonly configId?: string;
  readonly columns?: readonly string[];
  /** Each data file: uncompressed CSV text, or its gzipped bytes. */
  readonly dataFiles: readonly (string | Buffer)[];
  /** gzip level; 1 keeps generation cheap. */
  readonly level?: number;
}

export interface WrittenReport {
  readonly manifest: string;
  readonly dataFiles: readonly string[];
}

/**
 * An S3 Inventory report as S3 delivers it: the manifest at
 * `<prefix>/<source bucket>/<config>/<timestamp>/manifest.json` (with
 * manifest.checksum), the data files at `<prefix>/<source bucket>/<config>/data/`.
 */
export function writeInventory(report: InventoryReport): WrittenReport {
  const prefix = report.prefix ?? 'inventory';
  const base = [prefix, report.sourceBucket, report.configId ?? 'migration'].filter(Boolean).join('/');
  const files = report.dataFiles.map((csv, index) => {
    const key = `${base}/data/${md5Hex(`${base}-${index}`).slice(0, 8)}-${index}.csv.gz`;
    const body = typeof csv === 'string' ? zlib.gzipSync(csv, { level: report.level ?? 1 }) : csv;
    writeFile(path.join(report.root, key), body);
    return { key, size: body.length, MD5checksum: createHash('md5').update(body).digest('hex') };
  });
  const manifest = {
    sourceBucket: report.sourceBucket,
    destinationBucket: `arn:aws:s3:::${report.destinationBucket ?? `${report.sourceBucket}-inventory`}`,
    version: '2016-11-30',
    creationTimestamp: '1795392000000',
    fileFormat: 'CSV',
    fileSchema: (report.columns ?? FULL_SCHEMA).join(', '),
    files,
  };
  const text = JSON.stringify(manifest, null, 2);
  const manifestFile = path.join(report.root, base, '2026-11-23T00-00Z', 'manifest.json');
  writeFile(manifestFile, text);
  writeFile(path.join(path.dirname(manifestFile), 'manifest.checksum'), `${md5Hex(text)}\n`);
  return { manifest: manifestFile, dataFiles: files.map((file) => path.join(report.root, file.key)) };
}

/** A DynamoDB item in DYNAMODB_JSON: attribute name → attribute value. */
export type Item = Record<string, unknown>;

/** The text of an export data file: one `{"Item": {...}}` a line. */
export function exportLines(items: readonly Item[]): string {
  return items.map((item) => `${JSON.stringify({ Item: item })}\n`).join('');
}

export interface DynamoDbExport {
  readonly root: string;
  readonly tableArn: string;
  readonly s3Bucket?: string;
  /** The export's S3 prefix. */
  readonly prefix?: string;
  readonly exportId?: string;
  /** Each data file: uncompressed JSON lines, or their gzipped bytes. */
  readonly dataFiles: readonly (string | Buffer)[];
  /**
   * Whether manifestFilesS3Key and dataFileS3Key include the prefix (real
   * exports do; the example in the DynamoDB guide leaves it out).
   */
  readonly keysIncludePrefix?: boolean;
  readonly level?: number;
}

/**
 * A DynamoDB export as DynamoDB delivers it: under
 * `<prefix>/AWSDynamoDB/<export id>/`, manifest-summary.json,
 * manifest-files.json (JSON lines), _started, and data/<name>.json.gz.
 */
export function writeDynamoDbExport(exported: DynamoDbExport): WrittenReport {
  const prefix = exported.prefix ?? 'exports';
  const exportId = exported.exportId ?? '01795392000000-a1b2c3d4';
  const folder = `AWSDynamoDB/${exportId}`;
  const keyOf = (relative: string) =>
    exported.keysIncludePrefix === false || prefix === '' ? relative : `${prefix}/${relative}`;
  const onDisk = (relative: string) => path.join(exported.root, prefix, relative);
  let itemCount = 0;
  const entries = exported.dataFiles.map((lines, index) => {
    const relative = `${folder}/data/${md5Hex(`${exportId}-${index}`).slice(0, 26)}.json.gz`;
    const body = typeof lines === 'string' ? zlib.gzipSync(lines, { level: exported.level ?? 1 }) : lines;
    writeFile(onDisk(relative), body);
    const text = typeof lines === 'string' ? lines : zlib.gunzipSync(lines).toString('utf8');
    const count = text.split('\n').filter((line) => line !== '').length;
    itemCount += count;
    return {
      itemCount: count,
      md5Checksum: createHash('md5').update(body).digest('base64'),
      etag: `${md5Hex(relative)}-1`,
      dataFileS3Key: keyOf(relative),
    };
  });
  writeFile(
    onDisk(`${folder}/manifest-files.json`),
    entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
  );
  writeFile(onDisk(`${folder}/_started`), '');
  const summary = {
    version: '2020-06-30',
    exportArn: `${exported.tableArn}/export/${exportId}`,
    startTime: '2026-11-23T00:00:00.000Z',
    endTime: '2026-11-23T00:05:00.000Z',
    tableArn: exported.tableArn,
    tableId: '12345a12-abcd-123a-ab12-1234abc12345',
    exportTime: '2026-11-23T00:00:00.000Z',
    s3Bucket: exported.s3Bucket ?? 'clover-exports',
    s3Prefix: prefix,
    s3SseAlgorithm: 'AES256',
    s3SseKmsKeyId: null,
    manifestFilesS3Key: keyOf(`${folder}/manifest-files.json`),
    billedSizeBytes: 0,
    itemCount,
    outputFormat: 'DYNAMODB_JSON',
  };
  const manifestFile = onDisk(`${folder}/manifest-summary.json`);
  writeFile(manifestFile, JSON.stringify(summary, null, 2));
  return {
    manifest: manifestFile,
    dataFiles: entries.map((entry) => onDisk(entry.dataFileS3Key.slice(keyOf('').length))),
  };
}

/** What a synthetic pair differs in, so a run can be checked against it. */
export interface ExpectedDifferences {
  readonly source: number;
  readonly destination: number;
  readonly missing: number;
  readonly mismatched: number;
  readonly extra: number;
}

export interface SyntheticPair {
  readonly source: WrittenReport;
  readonly destination: WrittenReport;
  readonly expected: ExpectedDifferences;
}

const ROWS_PER_FILE = 250_000;

/** The differences of a synthetic pair, all in the first data file, so the others can be shared. */
const MISSING = [1, 3, 5];
const CHANGED = [7, 9];
const EXTRA = 5;

/**
 * The record indexes of each data file: `count` records, ROWS_PER_FILE a
 * file; the destination's first file lacks the MISSING ones and ends with
 * EXTRA records the source does not have.
 */
function fileIndexes(count: number, file: number, destination: boolean): number[] {
  const first = file * ROWS_PER_FILE;
  const indexes: number[] = [];
  for (let index = first; index < Math.min(count, first + ROWS_PER_FILE); index++) {
    if (!(destination && MISSING.includes(index))) indexes.push(index);
  }
  if (destination && file === 0) for (let extra = 0; extra < EXTRA; extra++) indexes.push(count + extra);
  return indexes;
}

function expectedOf(count: number): ExpectedDifferences {
  const missing = MISSING.filter((index) => index < count).length;
  return {
    source: count,
    destination: count - missing + EXTRA,
    missing,
    mismatched: CHANGED.filter((index) => index < count).length,
    extra: EXTRA,
  };
}

/** Builds each side's data files (gzipped); with `share`, the destination's unchanged files are the source's. */
function buildPair(
  count: number,
  share: boolean,
  render: (indexes: readonly number[], destination: boolean) => string,
): { source: Buffer[]; destination: Buffer[] } {
  const files = Math.max(1, Math.ceil(count / ROWS_PER_FILE));
  const gzip = (text: string) => zlib.gzipSync(text, { level: 1 });
  const source = Array.from({ length: files }, (_, file) =>
    gzip(render(fileIndexes(count, file, false), false)),
  );
  const destination = source.map((body, file) =>
    file > 0 && share ? body : gzip(render(fileIndexes(count, file, true), true)),
  );
  return { source, destination };
}

export interface SyntheticOptions {
  /** Inventory columns; MINIMAL_SCHEMA makes the cheapest files. */
  readonly columns?: typeof FULL_SCHEMA | typeof MINIMAL_SCHEMA;
  /**
   * The destination's data files without a difference are byte copies of the
   * source's (their Bucket column then names the source bucket, which the
   * verifier does not read): half the generation cost, for tests.
   */
  readonly share?: boolean;
}

/**
 * A synthetic migration of `count` objects, built as text directly (cheap
 * enough for a million rows in a test): a quarter of the objects SSE-KMS (and
 * re-encrypted under another key in the destination: new ETag, same size),
 * every tenth multipart, keys with spaces, `+`, `&` and non-ASCII characters;
 * the destination loses 3 objects, changes the size of 2 and gains 5.
 */
export function syntheticInventoryPair(
  root: string,
  count: number,
  options: SyntheticOptions = {},
): SyntheticPair {
  const full = (options.columns ?? FULL_SCHEMA) === FULL_SCHEMA;
  // Keys are `enclave/<n>/user <i>+r&d-é-<i>.dat`, written already encoded: the fixed parts are
  // encoded once, digits need no encoding (encodeURIComponent per row would double the cost).
  const [slash, user, tail, extension] = ['/', '/user ', '+r&d-é-', '.dat'].map(encodeInventoryKey);
  const encodedKey = (index: number) =>
    `enclave${slash}${index % 1000}${user}${index}${tail}${index}${extension}`;
  const row = (index: number, bucket: string, destination: boolean): string => {
    const size = (index * 7919) % 1_000_003;
    const shownSize = destination && CHANGED.includes(index) ? size + 1 : size;
    if (!full) return `"${bucket}","${encodedKey(index)}","${shownSize}"\n`;
    const kms = index % 4 === 0;
    const multipart = index % 10 === 0;
    const hex = index.toString(16).padStart(32, '0');
    const etag = (kms && destination ? hex.split('').reverse().join('') : hex) + (multipart ? '-3' : '');
    const replication = destination ? 'REPLICA' : '';
    return (
      `"${bucket}","${encodedKey(index)}","","true","false","${shownSize}","2026-11-20T10:00:00.000Z",` +
      `"${etag}","STANDARD","${multipart}","${replication}","${kms ? 'SSE-KMS' : 'SSE-S3'}"\n`
    );
  };
  const buckets = { source: 'clover-us-enclave-data', destination: 'clover-dublin-enclave-data' };
  const bodies = buildPair(count, options.share ?? false, (indexes, destination) =>
    indexes
      .map((index) => row(index, destination ? buckets.destination : buckets.source, destination))
      .join(''),
  );
  const columns = options.columns ?? FULL_SCHEMA;
  return {
    source: writeInventory({
      root: path.join(root, 'us-copy'),
      sourceBucket: buckets.source,
      columns,
      dataFiles: bodies.source,
    }),
    destination: writeInventory({
      root: path.join(root, 'eu-copy'),
      sourceBucket: buckets.destination,
      columns,
      dataFiles: bodies.destination,
    }),
    expected: expectedOf(count),
  };
}

/** A synthetic DynamoDB migration of `count` items; the destination loses 3, changes 2 and gains 5. */
export function syntheticExportPair(
  root: string,
  count: number,
  options: SyntheticOptions = {},
): SyntheticPair {
  const line = (index: number, destination: boolean) => {
    const name = destination && CHANGED.includes(index) ? `Name ${index} (edited)` : `Name ${index}`;
    return (
      `{"Item":{"pk":{"S":"user#${index}"},"sk":{"N":"${index % 10}"},"name":{"S":"${name}"},` +
      `"country":{"S":"IE"},"tags":{"SS":["a${index % 7}","b${index % 5}"]},"visits":{"N":"${index % 1000}"}}}\n`
    );
  };
  const bodies = buildPair(count, options.share ?? false, (indexes, destination) =>
    indexes.map((index) => line(index, destination)).join(''),
  );
  return {
    source: writeDynamoDbExport({
      root: path.join(root, 'us-exports'),
      tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/clover-users',
      dataFiles: bodies.source,
    }),
    destination: writeDynamoDbExport({
      root: path.join(root, 'eu-exports'),
      tableArn: 'arn:aws:dynamodb:eu-west-1:222222222222:table/clover-users',
      exportId: '01795392000000-e5f6a7b8',
      dataFiles: bodies.destination,
    }),
    expected: expectedOf(count),
  };
}

if (require.main === module) {
  const [countText, folder, kind = 's3'] = process.argv.slice(2);
  const count = Number(countText);
  if (!Number.isSafeInteger(count) || count <= 0 || !folder || !['s3', 'dynamodb'].includes(kind)) {
    process.stderr.write('usage: generate.ts <objects> <folder> [s3|dynamodb]\n');
    process.exit(2);
  }
  const pair = kind === 's3' ? syntheticInventoryPair(folder, count) : syntheticExportPair(folder, count);
  process.stdout.write(
    `${JSON.stringify({ source: pair.source.manifest, destination: pair.destination.manifest, expected: pair.expected })}\n`,
  );
}
