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
  /** Uncompressed CSV text of each data file. */
  readonly dataFiles: readonly string[];
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
    const body = zlib.gzipSync(csv, { level: report.level ?? 1 });
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
  /** Uncompressed JSON lines of each data file. */
  readonly dataFiles: readonly string[];
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
    const body = zlib.gzipSync(lines, { level: exported.level ?? 1 });
    writeFile(onDisk(relative), body);
    const count = lines.split('\n').filter((line) => line !== '').length;
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

/** How many data files `count` records take, and how many go in file `index`. */
function fileSizes(count: number): number[] {
  const files = Math.max(1, Math.ceil(count / ROWS_PER_FILE));
  return Array.from({ length: files }, (_, index) => Math.min(ROWS_PER_FILE, count - index * ROWS_PER_FILE));
}

/** Indexes of the source records the destination loses, changes and the extras it gains. */
function differencesOf(count: number) {
  const step = Math.max(1, Math.floor(count / 7));
  const missing = new Set([1, 1 + step, 1 + 2 * step].filter((index) => index < count));
  const changed = new Set(
    [2 + 3 * step, 2 + 4 * step].filter((index) => index < count && !missing.has(index)),
  );
  return { missing, changed, extra: 5 };
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
  columns: readonly string[] = FULL_SCHEMA,
): SyntheticPair {
  const { missing, changed, extra } = differencesOf(count);
  const full = columns === FULL_SCHEMA;
  const row = (index: number, bucket: string, destination: boolean): string => {
    const key = `enclave/${index % 1000}/user ${index}+r&d-é-${index}.dat`;
    const size = (index * 7919) % 1_000_003;
    if (!full)
      return `"${bucket}","${encodeInventoryKey(key)}","${destination && changed.has(index) ? size + 1 : size}"\n`;
    const kms = index % 4 === 0;
    const multipart = index % 10 === 0;
    const hex = index.toString(16).padStart(32, '0');
    const etag = (kms && destination ? hex.split('').reverse().join('') : hex) + (multipart ? '-3' : '');
    const fields = [
      bucket,
      encodeInventoryKey(key),
      '',
      'true',
      'false',
      String(destination && changed.has(index) ? size + 1 : size),
      '2026-11-20T10:00:00.000Z',
      etag,
      'STANDARD',
      multipart ? 'true' : 'false',
      destination ? 'REPLICA' : '',
      kms ? 'SSE-KMS' : 'SSE-S3',
    ];
    return `"${fields.join('","')}"\n`;
  };
  const build = (bucket: string, destination: boolean) =>
    fileSizes(count + (destination ? extra : 0)).map((rows, file) => {
      const parts: string[] = [];
      for (let offset = 0; offset < rows; offset++) {
        const index = file * ROWS_PER_FILE + offset;
        if (destination && missing.has(index)) continue;
        parts.push(row(index, bucket, destination));
      }
      return parts.join('');
    });
  const source = writeInventory({
    root: path.join(root, 'us-copy'),
    sourceBucket: 'clover-us-enclave-data',
    columns,
    dataFiles: build('clover-us-enclave-data', false),
  });
  const destination = writeInventory({
    root: path.join(root, 'eu-copy'),
    sourceBucket: 'clover-dublin-enclave-data',
    columns,
    dataFiles: build('clover-dublin-enclave-data', true),
  });
  return {
    source,
    destination,
    expected: {
      source: count,
      destination: count - missing.size + extra,
      missing: missing.size,
      mismatched: changed.size,
      extra,
    },
  };
}

/** A synthetic DynamoDB migration of `count` items; the destination loses 3, changes 2 and gains 5. */
export function syntheticExportPair(root: string, count: number): SyntheticPair {
  const { missing, changed, extra } = differencesOf(count);
  const line = (index: number, destination: boolean) => {
    const name = destination && changed.has(index) ? `Name ${index} (edited)` : `Name ${index}`;
    return (
      `{"Item":{"pk":{"S":"user#${index}"},"sk":{"N":"${index % 10}"},"name":{"S":"${name}"},` +
      `"country":{"S":"IE"},"tags":{"SS":["a${index % 7}","b${index % 5}"]},"visits":{"N":"${index % 1000}"}}}\n`
    );
  };
  const build = (destination: boolean) =>
    fileSizes(count + (destination ? extra : 0)).map((rows, file) => {
      const parts: string[] = [];
      for (let offset = 0; offset < rows; offset++) {
        const index = file * ROWS_PER_FILE + offset;
        if (destination && missing.has(index)) continue;
        parts.push(line(index, destination));
      }
      return parts.join('');
    });
  const source = writeDynamoDbExport({
    root: path.join(root, 'us-exports'),
    tableArn: 'arn:aws:dynamodb:us-east-1:111111111111:table/clover-users',
    dataFiles: build(false),
  });
  const destination = writeDynamoDbExport({
    root: path.join(root, 'eu-exports'),
    tableArn: 'arn:aws:dynamodb:eu-west-1:222222222222:table/clover-users',
    exportId: '01795392000000-e5f6a7b8',
    dataFiles: build(true),
  });
  return {
    source,
    destination,
    expected: {
      source: count,
      destination: count - missing.size + extra,
      missing: missing.size,
      mismatched: changed.size,
      extra,
    },
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
