import { Differences, comparePartitions, DuplicateRecordError, type PartitionPair } from './compare';
import { ItemRecords, readExportItem } from './dynamodb-export';
import { MigrationInputError } from './errors';
import { EVIDENCE_KIND, EVIDENCE_TOOL, type Counts, type MigrationVerification } from './evidence';
import { readGzipLines } from './gzip-lines';
import { ObjectRecords, parseCsvRow, readInventoryRow } from './inventory';
import { FANOUT, PartitionWriter, ScratchDirectory } from './partitions';
import type { RecordFormat } from './records';
import {
  isInventory,
  openReport,
  type OpenedExport,
  type OpenedInventory,
  type OpenedReport,
} from './reports';

/** Validated options of one verification. */
export interface VerifyOptions {
  /** Manifest paths as given on the command line. */
  readonly source: string;
  readonly destination: string;
  /** DynamoDB primary key attributes (partition key, then sort key). */
  readonly keyAttributes?: readonly string[];
  /** Compare every version and delete marker, by key and version ID. */
  readonly versions: boolean;
  readonly generatedAt: string;
  /** Where the scratch folder goes; default: the system's temporary folder (TMPDIR). */
  readonly scratchParent?: string;
  /** A partition file larger than this is split again before it is compared. */
  readonly partitionBytes?: number;
  /** Partitions per level (tests make it small to exercise splitting cheaply). */
  readonly fanout?: number;
}

export interface VerifyResult {
  readonly evidence: MigrationVerification;
  /** Records found in both reports. */
  readonly matched: number;
  /** Of the matched objects: compared by ETag (both MD5 digests), by size only. */
  readonly etagCompared: number;
  readonly sizeOnly: number;
  /** Pairs of partition files compared (more when large partitions were split again). */
  readonly partitions: number;
}

/** 16 MiB: at most ~200k records of ~80 bytes in the source partition's map, a few tens of MB of heap. */
const DEFAULT_PARTITION_BYTES = 16 * 1024 * 1024;

function checkPair(source: OpenedReport, destination: OpenedReport, options: VerifyOptions): void {
  if (source.summary.kind !== destination.summary.kind) {
    throw new MigrationInputError(
      `${source.label} is ${describeKind(source)} but ${destination.label} is ${describeKind(destination)}; ` +
        'compare an S3 Inventory report with one of the migrated bucket, or a DynamoDB export with one of the migrated table',
    );
  }
  if (source.summary.sha256 === destination.summary.sha256) {
    throw new MigrationInputError(
      `${source.label} and ${destination.label} are the same report (sha256 ${source.summary.sha256}); ` +
        "pass the destination's own report",
    );
  }
  if (isInventory(source)) {
    if (options.keyAttributes) {
      throw new MigrationInputError(
        '--key applies to DynamoDB exports; S3 objects match on their key (and version ID with --versions): remove --key',
      );
    }
    if (options.versions) {
      for (const report of [source, destination] as OpenedInventory[]) {
        if (report.manifest.schema.versionId < 0) {
          throw new MigrationInputError(
            `--versions compares every version, but ${report.label} lists current versions only (no VersionId ` +
              "in its fileSchema); set the inventory's included object versions to All, or drop --versions",
          );
        }
      }
    }
    return;
  }
  if (options.versions) {
    throw new MigrationInputError(
      '--versions applies to S3 Inventory reports; DynamoDB exports hold one version of each item: remove --versions',
    );
  }
  if (!options.keyAttributes) {
    throw new MigrationInputError(
      `--key is required for DynamoDB exports (an export does not record the key schema): give the primary key ` +
        `of ${source.summary.store} as --key <partition key>[,<sort key>]; ` +
        `aws dynamodb describe-table --table-name ${source.summary.store} --query Table.KeySchema shows it`,
    );
  }
}

function describeKind(report: OpenedReport): string {
  return isInventory(report) ? 'an S3 Inventory report' : 'a DynamoDB export';
}

/** Where a data line is, for messages; one per file, updated line by line. */
class LineLocation {
  public line = 0;

  constructor(public readonly file: string) {}

  public toString(): string {
    return `${this.file} line ${this.line}`;
  }
}

/**
 * Streams every data line of a report to `onLine`, with where it is for
 * messages, and checks each file against what its manifest states: size and
 * MD5 (S3 Inventory), item count (DynamoDB exports).
 */
async function forEachDataLine(
  report: OpenedReport,
  onLine: (line: string, where: LineLocation) => void,
): Promise<void> {
  for (const dataFile of report.dataFiles) {
    const file = `${report.label}: data file ${dataFile.key}`;
    const location = new LineLocation(file);
    let lines = 0;
    const digest = await readGzipLines(dataFile.file, file, (batch, firstLine) => {
      for (let index = 0; index < batch.length; index++) {
        let line = batch[index];
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line === '') continue;
        lines++;
        location.line = firstLine + index;
        onLine(line, location);
      }
    });
    if (dataFile.size !== undefined && digest.bytes !== dataFile.size) {
      throw new MigrationInputError(
        `${file} is ${digest.bytes} bytes but the manifest says ${dataFile.size}; copy it again (aws s3 sync)`,
      );
    }
    if (dataFile.md5Hex !== undefined && digest.md5Hex !== dataFile.md5Hex) {
      throw new MigrationInputError(
        `${file} has MD5 ${digest.md5Hex} but the manifest says ${dataFile.md5Hex}; copy it again (aws s3 sync)`,
      );
    }
    if (dataFile.itemCount !== undefined && lines !== dataFile.itemCount) {
      throw new MigrationInputError(
        `${file} holds ${lines} items but manifest-files.json says ${dataFile.itemCount}; copy it again (aws s3 sync)`,
      );
    }
  }
}

/** Writes an inventory's objects (current versions only, unless --versions) to partitions; returns their count. */
async function partitionInventory(
  report: OpenedInventory,
  format: ObjectRecords,
  writer: PartitionWriter,
): Promise<number> {
  const { schema } = report.manifest;
  let count = 0;
  await forEachDataLine(report, (line, where) => {
    const fields = parseCsvRow(line);
    if (!fields) throw new MigrationInputError(`${where} is not a CSV row (an unclosed or stray quote)`);
    const row = readInventoryRow(fields, schema);
    if (typeof row === 'string') throw new MigrationInputError(`${where} ${row}`);
    if (!format.versions && (!row.latest || row.deleteMarker)) return;
    writer.add(format.identity(row), format.value(row));
    count++;
  });
  return count;
}

/** Writes an export's items to partitions; returns their count. */
async function partitionExport(
  report: OpenedExport,
  format: ItemRecords,
  writer: PartitionWriter,
): Promise<number> {
  let count = 0;
  await forEachDataLine(report, (line, where) => {
    const item = readExportItem(line, format.keyAttributes);
    if (typeof item === 'string') throw new MigrationInputError(`${where} ${item}`);
    writer.add(item.key, item.sha256);
    count++;
  });
  return count;
}

async function partitionReport(
  report: OpenedReport,
  format: RecordFormat,
  files: readonly string[],
): Promise<number> {
  const writer = new PartitionWriter(files, 0);
  try {
    const count = isInventory(report)
      ? await partitionInventory(report, format as ObjectRecords, writer)
      : await partitionExport(report, format as ItemRecords, writer);
    writer.close();
    return count;
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/**
 * Verifies that every object or item of the source report is in the
 * destination report, unchanged. Bad input is a MigrationInputError; the
 * scratch folder is removed however the verification ends.
 */
export async function verifyMigration(options: VerifyOptions): Promise<VerifyResult> {
  const source = openReport('source', options.source);
  const destination = openReport('destination', options.destination);
  checkPair(source, destination, options);
  const objects = isInventory(source) ? new ObjectRecords(options.versions) : undefined;
  const format: RecordFormat = objects ?? new ItemRecords(options.keyAttributes!);
  const scratch = new ScratchDirectory(options.scratchParent);
  try {
    const fanout = options.fanout ?? FANOUT;
    const pairs = Array.from({ length: fanout }, (_, index): PartitionPair => ({
      source: scratch.file(`source-${index}`),
      destination: scratch.file(`destination-${index}`),
      level: 0,
      name: String(index),
    }));
    const sourceCount = await partitionReport(
      source,
      format,
      pairs.map((pair) => pair.source),
    );
    const destinationCount = await partitionReport(
      destination,
      format,
      pairs.map((pair) => pair.destination),
    );
    const differences = new Differences();
    let partitions: number;
    try {
      const limit = options.partitionBytes ?? DEFAULT_PARTITION_BYTES;
      partitions = comparePartitions(pairs, format, differences, scratch, limit, fanout);
    } catch (error) {
      if (!(error instanceof DuplicateRecordError)) throw error;
      const report = error.side === 'source' ? source : destination;
      throw new MigrationInputError(`${report.label} ${format.duplicate(error.display)}`);
    }
    const counts: Counts = {
      source: sourceCount,
      destination: destinationCount,
      missing: differences.missing,
      mismatched: differences.mismatched,
      extra: differences.extra,
    };
    const evidence: MigrationVerification = {
      tool: EVIDENCE_TOOL,
      kind: EVIDENCE_KIND,
      generatedAt: options.generatedAt,
      source: source.summary,
      destination: destination.summary,
      ...(objects ? { objects: counts } : { items: counts }),
      comparison: format.comparison(),
      missing: differences.firstMissing.list,
      mismatched: differences.firstMismatched.list,
      verdict: differences.missing === 0 && differences.mismatched === 0 ? 'complete' : 'incomplete',
    };
    return {
      evidence,
      matched: differences.matched,
      etagCompared: objects?.etagCompared ?? 0,
      sizeOnly: objects?.sizeOnly ?? 0,
      partitions,
    };
  } finally {
    scratch.dispose();
  }
}
