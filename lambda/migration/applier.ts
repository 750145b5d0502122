import { createGunzip } from 'zlib';
import * as readline from 'readline';
import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { exportsToApply, parseExportSummary, writeOf, type ExportSummary } from './apply-plan';
import {
  APPLIED_PREFIX,
  MIGRATION_PLAN_VARIABLE,
  TARGET_TABLE_VARIABLE,
  tableExportPrefix,
  type MigrationPlan,
} from './contract';
import { ReportsBucket } from './reports-bucket';

const dynamodb = new DynamoDBClient({});
const s3 = new S3Client({});
/** Stop starting new export files when less time than this is left; the next run goes on. */
const RESERVE_MS = 120_000;
const BATCH = 25;

/**
 * Hourly: loads each interim table's exports into the target table (docs/migration.md, "Tables"):
 * the newest full export once, then the incremental exports in order. An export is marked applied
 * (`applied/<table>/<export id>`) only when all its files are written; a run that stops early redoes
 * the export it was in, and every write is a put or a delete of a whole item, so repeating is harmless.
 */
export async function handler(_event: unknown, context: Context): Promise<{ applied: string[] }> {
  const plan = JSON.parse(process.env[MIGRATION_PLAN_VARIABLE] ?? '') as MigrationPlan;
  const table = process.env[TARGET_TABLE_VARIABLE]!;
  const appliedNow: string[] = [];
  for (const migration of plan.migrations) {
    for (const store of migration.stores.filter((s) => s.kind === 'table')) {
      const reports = new ReportsBucket(s3, store.sourceReports.bucket);
      const summaries: ExportSummary[] = [];
      for (const kind of ['full', 'incremental'] as const) {
        for (const key of await reports.keys(`${tableExportPrefix(store.source, kind)}/AWSDynamoDB/`)) {
          if (!key.endsWith('/manifest-summary.json')) continue;
          const summary = parseExportSummary(key, await reports.text(key));
          if (typeof summary === 'string') console.warn(JSON.stringify({ message: summary }));
          else summaries.push(summary);
        }
      }
      const markers = `${APPLIED_PREFIX}/${store.source}/`;
      const applied = new Set((await reports.keys(markers)).map((key) => key.slice(markers.length)));
      for (const exported of exportsToApply(summaries, applied)) {
        if (context.getRemainingTimeInMillis() < RESERVE_MS) return { applied: appliedNow };
        await applyExport(reports, exported, table);
        await reports.put(`${markers}${exported.exportId}`, JSON.stringify(exported));
        appliedNow.push(`${store.source}/${exported.exportId}`);
      }
    }
  }
  return { applied: appliedNow };
}

async function applyExport(reports: ReportsBucket, exported: ExportSummary, table: string): Promise<void> {
  const files = (await reports.text(exported.manifestFilesKey))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { dataFileS3Key: string }).dataFileS3Key);
  for (const file of files) {
    let batch: WriteRequest[] = [];
    const lines = readline.createInterface({ input: (await reports.stream(file)).pipe(createGunzip()) });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const write = writeOf(line, exported.type);
      if (typeof write === 'string') throw new Error(`${file}: a line ${write}`);
      batch.push(
        'put' in write
          ? { PutRequest: { Item: write.put as never } }
          : { DeleteRequest: { Key: write.delete as never } },
      );
      if (batch.length === BATCH) {
        await writeBatch(table, batch);
        batch = [];
      }
    }
    if (batch.length > 0) await writeBatch(table, batch);
  }
}

/** BatchWriteItem, retrying what DynamoDB leaves unprocessed with a growing pause. */
async function writeBatch(table: string, requests: WriteRequest[]): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
    const output = await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
    pending = output.UnprocessedItems?.[table] ?? [];
  }
}
