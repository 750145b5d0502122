import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { findCopyRoot, resolveDataFiles, unsafeKey, type DataFile, type DataFileEntry } from './bucket-copy';
import { parseExportSummary, parseFilesManifestLine, type ExportSummary } from './dynamodb-export';
import { MigrationInputError } from './errors';
import type { VerifiedReport } from './evidence';
import { parseInventoryManifest, type InventoryManifest } from './inventory';

/** Which side of the migration a report describes; also the option that named it. */
export type Side = 'source' | 'destination';

interface OpenedBase {
  readonly side: Side;
  /** `--source <path>`: how messages name the report. */
  readonly label: string;
  readonly summary: VerifiedReport;
  readonly dataFiles: readonly DataFile[];
}

export interface OpenedInventory extends OpenedBase {
  readonly manifest: InventoryManifest;
}

export interface OpenedExport extends OpenedBase {
  readonly export: ExportSummary;
}

export type OpenedReport = OpenedInventory | OpenedExport;

export const isInventory = (report: OpenedReport): report is OpenedInventory => 'manifest' in report;

const WHAT_TO_PASS =
  'pass the manifest.json of an S3 Inventory report or the manifest-summary.json of a DynamoDB export';

function readManifest(label: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new MigrationInputError(`${label} is a folder; ${WHAT_TO_PASS} inside it`);
    if (code === 'ENOENT') throw new MigrationInputError(`${label} does not exist; ${WHAT_TO_PASS}`);
    throw new MigrationInputError(`${label} cannot be read (${code ?? (error as Error).message})`);
  }
}

function parseManifestJson(label: string, content: Buffer): Record<string, unknown> {
  const text = content.toString('utf8');
  // manifest-files.json is JSON lines: one line of it still parses as JSON.
  if (/"dataFileS3Key"/.test(text)) {
    throw new MigrationInputError(
      `${label} is a DynamoDB export's manifest-files.json; pass the manifest-summary.json beside it`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MigrationInputError(`${label} is not JSON; ${WHAT_TO_PASS}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MigrationInputError(`${label} is not a JSON object; ${WHAT_TO_PASS}`);
  }
  return value as Record<string, unknown>;
}

/** `arn:aws:s3:::bucket` or `bucket` → `bucket`, for the `aws s3 sync` hint. */
function bucketName(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value.replace(/^arn:[^:]+:s3:::/, '') : fallback;
}

function syncHint(deliveryBucket: string): string {
  return `aws s3 sync s3://${deliveryBucket} <folder>, then pass the manifest inside <folder>`;
}

function checkKey(label: string, key: string): void {
  const problem = unsafeKey(key);
  if (problem) throw new MigrationInputError(`${label}: ${problem}`);
}

/** The root of the bucket copy holding `manifestFile`, found by the first key the manifest names. */
function copyRoot(label: string, manifestFile: string, key: string, deliveryBucket: string): string {
  checkKey(label, key);
  const root = findCopyRoot(manifestFile, key);
  if (root === undefined) {
    throw new MigrationInputError(
      `${label}: ${key} is not under any folder above the manifest; the data files must be in the same ` +
        `copy of the delivery bucket as the manifest: ${syncHint(deliveryBucket)}`,
    );
  }
  return root;
}

/** Every data file named by `entries`, under `root`. */
function dataFilesUnder(
  label: string,
  root: string,
  entries: readonly DataFileEntry[],
  deliveryBucket: string,
): DataFile[] {
  for (const entry of entries) checkKey(label, entry.key);
  const resolved = resolveDataFiles(root, entries);
  if ('missing' in resolved) {
    throw new MigrationInputError(
      `${label}: data file ${resolved.missing.key} is missing (looked for ${resolved.file}); copy the ` +
        `report again: ${syncHint(deliveryBucket)}`,
    );
  }
  return resolved.files;
}

type ManifestDigest = Pick<VerifiedReport, 'path' | 'sha256'>;

function openInventory(
  side: Side,
  label: string,
  file: string,
  digest: ManifestDigest,
  value: Record<string, unknown>,
): OpenedInventory {
  const manifest = parseInventoryManifest(value);
  if (typeof manifest === 'string') throw new MigrationInputError(`${label} ${manifest}`);
  const deliveryBucket = bucketName(value.destinationBucket, '<inventory destination bucket>');
  // An inventory of an empty bucket names no data file, and needs no copy root.
  const dataFiles =
    manifest.files.length === 0
      ? []
      : dataFilesUnder(
          label,
          copyRoot(label, file, manifest.files[0].key, deliveryBucket),
          manifest.files,
          deliveryBucket,
        );
  return {
    side,
    label,
    summary: { path: digest.path, kind: 's3-inventory', store: manifest.sourceBucket, sha256: digest.sha256 },
    dataFiles,
    manifest,
  };
}

function openExport(
  side: Side,
  label: string,
  file: string,
  digest: ManifestDigest,
  value: Record<string, unknown>,
): OpenedExport {
  const parsed = parseExportSummary(value);
  if (typeof parsed === 'string') throw new MigrationInputError(`${label} ${parsed}`);
  const deliveryBucket = bucketName(value.s3Bucket, '<export bucket>');
  const root = copyRoot(label, file, parsed.manifestFilesKey, deliveryBucket);
  const filesManifest = path.join(root, parsed.manifestFilesKey);
  const entries: DataFileEntry[] = [];
  const lines = fs.readFileSync(filesManifest, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const entry = parseFilesManifestLine(line);
    if (typeof entry === 'string') {
      throw new MigrationInputError(`${label}: ${parsed.manifestFilesKey} line ${index + 1} ${entry}`);
    }
    entries.push(entry);
  }
  return {
    side,
    label,
    summary: { path: digest.path, kind: 'dynamodb-export', store: parsed.table, sha256: digest.sha256 },
    dataFiles: dataFilesUnder(label, root, entries, deliveryBucket),
    export: parsed,
  };
}

/**
 * Reads a report's manifest, tells its kind from its fields, and finds its
 * data files in the bucket copy around it. Every problem is a
 * MigrationInputError naming `--<side> <path>`.
 */
export function openReport(side: Side, displayPath: string): OpenedReport {
  const label = `--${side} ${displayPath}`;
  const file = path.resolve(displayPath);
  const content = readManifest(label, file);
  const value = parseManifestJson(label, content);
  const digest = { path: displayPath, sha256: createHash('sha256').update(content).digest('hex') };
  if ('sourceBucket' in value || 'fileSchema' in value)
    return openInventory(side, label, file, digest, value);
  if ('tableArn' in value || 'exportArn' in value || 'manifestFilesS3Key' in value) {
    return openExport(side, label, file, digest, value);
  }
  throw new MigrationInputError(
    `${label} is neither an S3 Inventory manifest.json (sourceBucket, fileSchema) nor a DynamoDB ` +
      `export's manifest-summary.json (tableArn, manifestFilesS3Key); ${WHAT_TO_PASS}`,
  );
}
