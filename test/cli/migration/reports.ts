import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../../cli/main';
import type { MigrationVerification } from '../../../lambda/migration/verification/evidence';
import {
  exportLines,
  FULL_SCHEMA,
  inventoryCsv,
  writeDynamoDbExport,
  writeInventory,
  type InventoryObject,
  type InventoryReport,
  type Item,
  type WrittenReport,
} from '../../../bench/migration/generate';
import { captureOutput } from '../../helpers/output';

/** The repository root: the CLI runs from there, as `npx clover` does. */
export const REPO = path.resolve(__dirname, '..', '..', '..');

/** 2026-11-23T00:00:00Z: a fixed SOURCE_DATE_EPOCH, so evidence is reproducible. */
export const FIXED_EPOCH = '1795392000';

/** A temporary folder per test, removed by `cleanup`. */
export function workspace(): { readonly dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-migration-test-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface InventoryOptions extends Partial<Omit<InventoryReport, 'root' | 'dataFiles'>> {
  /** Objects per data file; default: all in one. */
  readonly perFile?: number;
}

/** Writes an inventory of `objects` into `<dir>/<copy>` as S3 delivers it. */
export function inventory(
  dir: string,
  copy: string,
  objects: readonly InventoryObject[],
  options: InventoryOptions = {},
): WrittenReport {
  const sourceBucket = options.sourceBucket ?? `clover-${copy}-data`;
  const columns = options.columns ?? FULL_SCHEMA;
  const perFile = options.perFile ?? Math.max(1, objects.length);
  const dataFiles: string[] = [];
  for (let start = 0; start < objects.length; start += perFile) {
    dataFiles.push(inventoryCsv(objects.slice(start, start + perFile), sourceBucket, columns));
  }
  return writeInventory({ ...options, root: path.join(dir, copy), sourceBucket, columns, dataFiles });
}

/** Writes a DynamoDB export of `items` into `<dir>/<copy>`, one data file. */
export function dynamoDbExport(
  dir: string,
  copy: string,
  items: readonly Item[],
  options: { readonly keysIncludePrefix?: boolean; readonly region?: string; readonly table?: string } = {},
): WrittenReport {
  const region = options.region ?? (copy.startsWith('us') ? 'us-east-1' : 'eu-west-1');
  return writeDynamoDbExport({
    root: path.join(dir, copy),
    tableArn: `arn:aws:dynamodb:${region}:111111111111:table/${options.table ?? 'clover-users'}`,
    exportId: `01795392000000-${copy.padEnd(8, '0').slice(0, 8)}`,
    dataFiles: items.length === 0 ? [''] : [exportLines(items)],
    keysIncludePrefix: options.keysIncludePrefix,
  });
}

export interface Verification {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The parsed stdout of a --format json run. */
  readonly evidence?: MigrationVerification;
}

/**
 * `clover migration verify <args>` in this process (`run` is what the bin
 * calls); output is captured, so calls must not overlap.
 */
export async function verify(args: readonly string[]): Promise<Verification> {
  const previous = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = FIXED_EPOCH;
  try {
    const {
      result: code,
      stdout,
      stderr,
    } = await captureOutput(() => run(['node', 'clover', 'migration', 'verify', ...args]));
    let evidence: MigrationVerification | undefined;
    if (args.includes('json')) {
      try {
        evidence = JSON.parse(stdout) as MigrationVerification;
      } catch {
        evidence = undefined;
      }
    }
    return { code, stdout, stderr, evidence };
  } finally {
    if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = previous;
  }
}
