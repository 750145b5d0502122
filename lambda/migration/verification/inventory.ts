import type { Comparison, Mismatch, ObjectState } from './evidence';
import { escapeField, unescapeField } from './lines';
import type { DataFileEntry } from './bucket-copy';
import type { RecordFormat } from './records';

/**
 * S3 Inventory reports in CSV, as the S3 User Guide documents them
 * ("Cataloging and analyzing your data with S3 Inventory"): a manifest.json
 * naming the gzipped CSV data files and their column order (`fileSchema`), and
 * CSV rows without a header whose keys are URL-encoded form-style.
 */

/** A validated manifest.json. */
export interface InventoryManifest {
  readonly sourceBucket: string;
  readonly schema: InventorySchema;
  readonly files: readonly DataFileEntry[];
}

/** Where each column the verifier reads sits in a row; -1 when the inventory does not include it. */
export interface InventorySchema {
  readonly columns: readonly string[];
  readonly key: number;
  readonly size: number;
  readonly versionId: number;
  readonly isLatest: number;
  readonly isDeleteMarker: number;
  readonly etag: number;
  readonly isMultipartUploaded: number;
  readonly encryptionStatus: number;
}

/** Encryption statuses under which a single-part object's ETag is the MD5 of its data. */
const MD5_ENCRYPTION_STATUSES = new Set(['SSE-S3', 'NOT-SSE']);
const MD5_HEX = /^[0-9a-f]{32}$/;

/** Reads a parsed manifest.json; a string says what is wrong with it and how to fix it. */
export function parseInventoryManifest(value: Record<string, unknown>): InventoryManifest | string {
  const { sourceBucket, fileFormat, fileSchema, files } = value;
  if (typeof sourceBucket !== 'string' || sourceBucket === '') {
    return 'has no sourceBucket; it is not an S3 Inventory manifest.json';
  }
  if (typeof fileFormat !== 'string' || fileFormat.toUpperCase() !== 'CSV') {
    return `has fileFormat ${JSON.stringify(fileFormat ?? null)}; only CSV inventories are read: set the inventory configuration's output format to CSV`;
  }
  if (typeof fileSchema !== 'string' || fileSchema.trim() === '') {
    return 'has no fileSchema; it is not an S3 Inventory manifest.json';
  }
  const columns = fileSchema.split(',').map((column) => column.trim());
  const at = (name: string) => columns.findIndex((column) => column.toLowerCase() === name.toLowerCase());
  const schema: InventorySchema = {
    columns,
    key: at('Key'),
    size: at('Size'),
    versionId: at('VersionId'),
    isLatest: at('IsLatest'),
    isDeleteMarker: at('IsDeleteMarker'),
    etag: at('ETag'),
    isMultipartUploaded: at('IsMultipartUploaded'),
    encryptionStatus: at('EncryptionStatus'),
  };
  if (schema.key < 0) return `has a fileSchema without Key ("${fileSchema}")`;
  if (schema.size < 0) {
    return `has a fileSchema without Size ("${fileSchema}"); add Size to the inventory configuration's optional fields`;
  }
  if (!Array.isArray(files)) return 'has no files list; it is not an S3 Inventory manifest.json';
  const entries: DataFileEntry[] = [];
  for (const [index, file] of files.entries()) {
    const entry = file as Record<string, unknown> | null;
    if (typeof entry?.key !== 'string' || entry.key === '') return `files[${index}] has no key`;
    const size = typeof entry.size === 'number' ? entry.size : undefined;
    const md5 = typeof entry.MD5checksum === 'string' ? entry.MD5checksum.toLowerCase() : undefined;
    entries.push({ key: entry.key, size, md5Hex: md5 && MD5_HEX.test(md5) ? md5 : undefined });
  }
  return { sourceBucket, schema, files: entries };
}

/**
 * One CSV row: fields quoted or not, `""` inside quotes for a quote. Returns
 * undefined for a malformed row (an unclosed quote, text after a closing quote).
 */
export function parseCsvRow(line: string): string[] | undefined {
  // S3 Inventory quotes every field, and its URL-encoded keys hold no quote: split natively when the
  // row is exactly that shape; any quote left inside a field (an escaped one) takes the general path.
  if (line.length >= 2 && line.charCodeAt(0) === 0x22 && line.charCodeAt(line.length - 1) === 0x22) {
    const fields = line.slice(1, -1).split('","');
    if (!fields.some((field) => field.includes('"'))) return fields;
  }
  const fields: string[] = [];
  const length = line.length;
  let index = 0;
  for (;;) {
    if (line.charCodeAt(index) === 0x22) {
      let value = '';
      let start = index + 1;
      for (;;) {
        const quote = line.indexOf('"', start);
        if (quote < 0) return undefined;
        if (line.charCodeAt(quote + 1) === 0x22) {
          value += line.slice(start, quote + 1);
          start = quote + 2;
          continue;
        }
        value += line.slice(start, quote);
        index = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', index);
      const end = comma < 0 ? length : comma;
      fields.push(line.slice(index, end));
      index = end;
    }
    if (index >= length) return fields;
    if (line.charCodeAt(index) !== 0x2c) return undefined;
    index++;
  }
}

const HEX_VALUES = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUES['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_VALUES['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}
const hexValue = (code: number) => (code < 128 ? HEX_VALUES[code] : -1);

/** S3 keys are at most 1,024 bytes of UTF-8; longer input takes the slower general path. */
const KEY_BYTES = 4096;
const keyBytes = Buffer.allocUnsafeSlow(KEY_BYTES);

/**
 * Decodes a key as S3 Inventory writes it in CSV: URL-encoded form-style, so
 * `+` is a space and `%2B` a plus. Undefined when a `%` escape is malformed or
 * the bytes are not UTF-8. Decodes into a reused byte buffer: this runs once
 * per object and is about twice as fast as decodeURIComponent.
 */
export function decodeInventoryKey(raw: string): string | undefined {
  if (raw.length > KEY_BYTES) return decodeGeneral(raw);
  let length = 0;
  let ascii = true;
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code === 0x25) {
      const high = hexValue(raw.charCodeAt(index + 1));
      const low = hexValue(raw.charCodeAt(index + 2));
      if (high < 0 || low < 0) return undefined;
      const byte = high * 16 + low;
      if (byte > 0x7f) ascii = false;
      keyBytes[length++] = byte;
      index += 2;
    } else if (code === 0x2b) {
      keyBytes[length++] = 0x20;
    } else if (code < 0x80) {
      keyBytes[length++] = code;
    } else {
      return decodeGeneral(raw);
    }
  }
  if (ascii) return keyBytes.toString('latin1', 0, length);
  const key = keyBytes.toString('utf8', 0, length);
  // Invalid UTF-8 decodes to U+FFFD; an encoded U+FFFD (%EF%BF%BD) is the only honest source of one.
  if (key.includes('\ufffd') && !/%ef%bf%bd/i.test(raw)) return undefined;
  return key;
}

function decodeGeneral(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** One row of an inventory, as the verifier reads it. */
export interface InventoryRow {
  readonly key: string;
  readonly versionId: string;
  readonly size: number | null;
  /** Lower-case, without quotes; '' when the inventory has no ETag. */
  readonly etag: string;
  /** True when the ETag is known to be the MD5 of the object's data. */
  readonly etagIsMd5: boolean;
  readonly deleteMarker: boolean;
  readonly latest: boolean;
}

const isTrue = (value: string | undefined) =>
  value === 'true' || (value !== undefined && value.length === 4 && value.toLowerCase() === 'true');

/**
 * Reads a parsed CSV row against the schema; a string says what is wrong.
 * An ETag counts as an MD5 digest only when the row says the object is
 * unencrypted or SSE-S3 and not multipart, and the ETag looks like one: AWS
 * documents that SSE-KMS, DSSE-KMS, SSE-C and multipart ETags are not MD5s.
 */
export function readInventoryRow(fields: readonly string[], schema: InventorySchema): InventoryRow | string {
  if (fields.length !== schema.columns.length) {
    return `has ${fields.length} fields; the manifest's fileSchema names ${schema.columns.length}`;
  }
  const rawKey = fields[schema.key];
  const key = decodeInventoryKey(rawKey);
  if (key === undefined) return `has a key that is not URL-encoded UTF-8: "${rawKey}"`;
  const deleteMarker = schema.isDeleteMarker >= 0 && isTrue(fields[schema.isDeleteMarker]);
  const rawSize = fields[schema.size];
  let size: number | null = null;
  if (rawSize !== '') {
    size = Number(rawSize);
    if (!/^\d+$/.test(rawSize) || !Number.isSafeInteger(size))
      return `has Size "${rawSize}", not a whole number`;
  } else if (!deleteMarker) {
    return `has no Size for ${JSON.stringify(key)}`;
  }
  let etag = schema.etag >= 0 ? fields[schema.etag].toLowerCase() : '';
  if (etag.startsWith('"') && etag.endsWith('"') && etag.length >= 2) etag = etag.slice(1, -1);
  const encryption = schema.encryptionStatus >= 0 ? fields[schema.encryptionStatus].toUpperCase() : '';
  const multipart = schema.isMultipartUploaded >= 0 && isTrue(fields[schema.isMultipartUploaded]);
  return {
    key,
    versionId: schema.versionId >= 0 ? fields[schema.versionId] : '',
    size,
    etag,
    etagIsMd5: MD5_ENCRYPTION_STATUSES.has(encryption) && !multipart && MD5_HEX.test(etag),
    deleteMarker,
    latest: schema.isLatest < 0 || isTrue(fields[schema.isLatest]),
  };
}

/**
 * Objects compared by key (and version ID with --versions) and size, and by
 * ETag where both sides' ETags are MD5 digests. Counts how many matched pairs
 * were compared each way, for the `comparison` the evidence states.
 */
export class ObjectRecords implements RecordFormat {
  public readonly identityFields = 2;
  public etagCompared = 0;
  public sizeOnly = 0;

  constructor(public readonly versions: boolean) {}

  /** The partition line of a row: identity (key, version ID), then size, ETag, flags. */
  public identity(row: InventoryRow): string {
    return `${escapeField(row.key)}\t${this.versions ? row.versionId : ''}`;
  }

  public value(row: InventoryRow): string {
    return `${row.size ?? ''}\t${row.etag}\t${row.etagIsMd5 ? 'm' : '-'}${row.deleteMarker ? 'd' : '-'}`;
  }

  public displayKey(identity: string): string {
    const tab = identity.indexOf('\t');
    const key = unescapeField(identity.slice(0, tab));
    return this.versions ? `${key}?versionId=${identity.slice(tab + 1) || 'null'}` : key;
  }

  public compare(identity: string, source: string, destination: string): Mismatch | undefined {
    if (source === destination) {
      if (etagIsMd5(source)) this.etagCompared++;
      else this.sizeOnly++;
      return undefined;
    }
    const before = parseObjectValue(source);
    const after = parseObjectValue(destination);
    const mismatch = (reason: Mismatch['reason']): Mismatch => ({
      key: this.displayKey(identity),
      reason,
      source: before,
      destination: after,
    });
    if (before.deleteMarker !== after.deleteMarker) return mismatch('delete-marker');
    if (before.size !== after.size) return mismatch('size');
    if (etagIsMd5(source) && etagIsMd5(destination)) {
      this.etagCompared++;
      return before.etag === after.etag ? undefined : mismatch('etag');
    }
    this.sizeOnly++;
    return undefined;
  }

  public comparison(): Comparison {
    const identity = this.versions ? 'key+versionId+size' : 'key+size';
    if (this.etagCompared === 0) return identity;
    return this.sizeOnly === 0 ? `${identity}+etag` : `${identity}+etag-where-md5`;
  }

  public duplicate(display: string): string {
    return this.versions
      ? `lists version ${display} twice; the inventory is malformed or two reports were merged`
      : `lists the current version of ${JSON.stringify(display)} twice; the inventory is malformed or two reports were merged`;
  }
}

/** The first flag of a value: its ETag is an MD5 digest. */
const etagIsMd5 = (value: string) => value.charAt(value.length - 2) === 'm';

function parseObjectValue(value: string): ObjectState {
  const [size, etag, flags] = value.split('\t');
  return {
    size: size === '' ? null : Number(size),
    etag: etag === '' ? null : etag,
    deleteMarker: flags[1] === 'd',
  };
}
