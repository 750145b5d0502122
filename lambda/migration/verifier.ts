import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { verifyMigration } from './verification/run';
import { parseExportSummary } from './apply-plan';
import {
  ENCLAVE_DIMENSION,
  EVIDENCE_BUCKET_VARIABLE,
  EVIDENCE_OWNER_VARIABLE,
  EVIDENCE_REGION_VARIABLE,
  evidenceKey,
  evidencePutObjectInput,
  inventoryPrefix,
  INVENTORY_PREFIX,
  MIGRATION_METRICS_NAMESPACE,
  MIGRATION_PLAN_VARIABLE,
  MISMATCHED_METRIC,
  MISSING_METRIC,
  tableExportPrefix,
  type MigrationPlan,
  type PlannedStore,
} from './contract';
import { ReportsBucket } from './reports-bucket';

const s3 = new S3Client({});

/** `inventory/<bucket>/migration/<YYYY-MM-DDTHH-MMZ>/`: one delivery of an inventory. */
const DELIVERY = /\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z\/$/;

/**
 * Daily, in the target account: for every store of every interim enclave migrating here, compares the
 * newest report of the source with the newest of the destination (the verifier of `clover migration
 * verify`, unchanged), writes the evidence to the Object Lock archive and publishes `Missing` and
 * `Mismatched` per interim enclave. A store whose reports have not arrived yet is logged and skipped.
 */
export async function handler(): Promise<{ verified: string[] }> {
  const plan = JSON.parse(process.env[MIGRATION_PLAN_VARIABLE] ?? '') as MigrationPlan;
  const archive = new S3Client({
    region: process.env[EVIDENCE_REGION_VARIABLE],
    followRegionRedirects: true,
  });
  const archiveBucket = process.env[EVIDENCE_BUCKET_VARIABLE]!;
  const verified: string[] = [];
  for (const migration of plan.migrations) {
    let missing = 0;
    let mismatched = 0;
    let stores = 0;
    for (const store of migration.stores) {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-verify-'));
      try {
        const source = await copyReport(store, 'source', scratch);
        const destination = await copyReport(store, 'destination', scratch);
        if (!source || !destination) {
          console.warn(
            JSON.stringify({ message: 'no report yet', enclave: migration.enclave, store: store.source }),
          );
          continue;
        }
        const generatedAt = new Date().toISOString();
        const { evidence } = await verifyMigration({
          source: source.file,
          destination: destination.file,
          keyAttributes: store.keyAttributes,
          versions: false,
          generatedAt,
          scratchParent: scratch,
        });
        const recorded = {
          ...evidence,
          source: { ...evidence.source, path: source.uri },
          destination: { ...evidence.destination, path: destination.uri },
        };
        const key = evidenceKey(
          `archive/${plan.target}/`,
          migration.enclave,
          evidence.source.store,
          generatedAt,
        );
        await archive.send(
          new PutObjectCommand(
            evidencePutObjectInput(
              archiveBucket,
              key,
              Buffer.from(`${JSON.stringify(recorded, null, 2)}\n`),
              process.env[EVIDENCE_OWNER_VARIABLE],
            ),
          ),
        );
        const counts = (evidence.objects ?? evidence.items)!;
        missing += counts.missing;
        mismatched += counts.mismatched;
        stores++;
        verified.push(`${evidence.source.store}: ${evidence.verdict}`);
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }
    if (stores > 0) {
      const metrics = new Metrics({ namespace: MIGRATION_METRICS_NAMESPACE });
      metrics.clearDefaultDimensions();
      metrics.setDefaultDimensions({ [ENCLAVE_DIMENSION]: migration.enclave });
      metrics.addMetric(MISSING_METRIC, MetricUnit.Count, missing);
      metrics.addMetric(MISMATCHED_METRIC, MetricUnit.Count, mismatched);
      metrics.publishStoredMetrics();
    }
  }
  return { verified };
}

/** Copies the newest report of one side of a store into `<scratch>/<side>/`; undefined when there is none. */
async function copyReport(
  store: PlannedStore,
  side: 'source' | 'destination',
  scratch: string,
): Promise<{ readonly file: string; readonly uri: string } | undefined> {
  const place = side === 'source' ? store.sourceReports : store.destinationReports;
  const reports = new ReportsBucket(s3, place.bucket);
  const root = path.join(scratch, side);
  const name = side === 'source' ? store.source : store.destination;
  if (store.kind === 'bucket') {
    // A source bucket is planned by the prefix of its name (its full name carries the interim Region).
    const bucketFolders = await reports.folders(`${INVENTORY_PREFIX}/`);
    const folder = bucketFolders.find((candidate) => candidate.startsWith(`${INVENTORY_PREFIX}/${name}`));
    if (!folder) return undefined;
    const bucket = folder.slice(INVENTORY_PREFIX.length + 1, -1);
    const deliveries = (await reports.folders(inventoryPrefix(bucket)))
      .filter((f) => DELIVERY.test(f))
      .sort();
    const newest = deliveries[deliveries.length - 1];
    if (!newest) return undefined;
    const manifestKey = `${newest}manifest.json`;
    const file = await reports.download(manifestKey, root);
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { files?: Array<{ key: string }> };
    for (const data of manifest.files ?? []) await reports.download(data.key, root);
    return { file, uri: `s3://${place.bucket}/${manifestKey}` };
  }
  const summaries = [];
  for (const key of await reports.keys(`${tableExportPrefix(name, 'full')}/AWSDynamoDB/`)) {
    if (!key.endsWith('/manifest-summary.json')) continue;
    const summary = parseExportSummary(key, await reports.text(key));
    if (typeof summary !== 'string' && summary.type === 'full') summaries.push({ key, summary });
  }
  const newest = summaries.sort((a, b) => a.summary.upTo - b.summary.upTo).pop();
  if (!newest) return undefined;
  const file = await reports.download(newest.key, root);
  const filesList = await reports.download(newest.summary.manifestFilesKey, root);
  for (const line of fs.readFileSync(filesList, 'utf8').split('\n')) {
    if (line.trim() !== '')
      await reports.download((JSON.parse(line) as { dataFileS3Key: string }).dataFileS3Key, root);
  }
  return { file, uri: `s3://${place.bucket}/${newest.key}` };
}
