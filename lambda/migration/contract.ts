/**
 * The contract between the migration constructs and the migration functions
 * (table exporter, export applier, verifier): where reports are delivered, the
 * environment each function reads, and the metrics the verifier publishes. Pure:
 * the constructs and the functions import it, nothing else.
 */

/** ID of the S3 Inventory configuration on every migrated and receiving bucket. */
export const INVENTORY_CONFIGURATION_ID = 'migration';
/** Prefix under which S3 Inventory delivers: `inventory/<bucket>/migration/<YYYY-MM-DDTHH-MMZ>/manifest.json`. */
export const INVENTORY_PREFIX = 'inventory';
/** Prefix of a table's full exports: `exports/<table>/AWSDynamoDB/<export id>/manifest-summary.json`. */
export const FULL_EXPORT_PREFIX = 'exports';
/** Prefix of a table's incremental exports. */
export const INCREMENTAL_EXPORT_PREFIX = 'incremental';
/** Prefix of S3 Batch Replication manifests and completion reports in the interim migration bucket. */
export const BATCH_REPLICATION_PREFIX = 'batch-replication';
/** Prefix of the applier's markers (which export data files are applied) in the target migration bucket. */
export const APPLIED_PREFIX = 'applied';

/** Where S3 Inventory delivers the reports of one bucket. */
export function inventoryPrefix(bucket: string): string {
  return `${INVENTORY_PREFIX}/${bucket}/${INVENTORY_CONFIGURATION_ID}/`;
}

/** Where the exports of one table go (`kind` full or incremental). */
export function tableExportPrefix(table: string, kind: 'full' | 'incremental'): string {
  return `${kind === 'full' ? FULL_EXPORT_PREFIX : INCREMENTAL_EXPORT_PREFIX}/${table}`;
}

/** CloudWatch namespace of the verifier's metrics. */
export const MIGRATION_METRICS_NAMESPACE = 'Clover/Migration';
/** Metric: source records not in the destination (the evidence's `missing` count). */
export const MISSING_METRIC = 'Missing';
/** Metric: records in both whose size, ETag or content differ (the evidence's `mismatched` count). */
export const MISMATCHED_METRIC = 'Mismatched';
/** Dimension naming the interim enclave whose migration is measured. */
export const ENCLAVE_DIMENSION = 'Enclave';

/** One store pair the verifier compares, as the construct hands it over (JSON in {@link MIGRATION_PLAN_VARIABLE}). */
export interface PlannedStore {
  readonly kind: 'bucket' | 'table';
  /** Interim store (bucket or table name) and the interim migration bucket that holds its reports. */
  readonly source: string;
  readonly sourceReports: { readonly bucket: string; readonly region: string; readonly account: string };
  /** Target store and the target migration bucket that holds its reports. */
  readonly destination: string;
  readonly destinationReports: { readonly bucket: string; readonly region: string; readonly account: string };
  /** DynamoDB primary key attributes (tables only). */
  readonly keyAttributes?: readonly string[];
}

/** The migrations one target receives: each interim enclave and its store pairs. */
export interface MigrationPlan {
  readonly target: string;
  /** The target's prefix in the evidence archive (`archive/<target>/`); evidence goes under `migration/` there. */
  readonly evidencePrefix: string;
  readonly migrations: ReadonlyArray<{ readonly enclave: string; readonly stores: readonly PlannedStore[] }>;
}

/** Environment variable holding the {@link MigrationPlan} (JSON). */
export const MIGRATION_PLAN_VARIABLE = 'CLOVER_MIGRATION_PLAN';
/** Environment variables of the verifier's evidence writes: the archive bucket, its region and owner. */
export const EVIDENCE_BUCKET_VARIABLE = 'CLOVER_EVIDENCE_BUCKET';
export const EVIDENCE_REGION_VARIABLE = 'CLOVER_EVIDENCE_REGION';
export const EVIDENCE_OWNER_VARIABLE = 'CLOVER_EVIDENCE_OWNER';
/** Environment variable of the applier: the table it writes into. */
export const TARGET_TABLE_VARIABLE = 'CLOVER_TARGET_TABLE';
/** Environment variables of the exporter: the table, and the bucket, key and prefix its exports go to. */
export const EXPORT_TABLE_VARIABLE = 'CLOVER_EXPORT_TABLE_ARN';
export const EXPORT_BUCKET_VARIABLE = 'CLOVER_EXPORT_BUCKET';
export const EXPORT_KEY_VARIABLE = 'CLOVER_EXPORT_KEY_ARN';

/** Key of one evidence file in the archive: under the target's prefix, by interim enclave and store. */
export function evidenceKey(
  archivePrefix: string,
  enclave: string,
  store: string,
  generatedAt: string,
): string {
  return `${archivePrefix}migration/${enclave}/${store}/${generatedAt.replace(/[:.]/g, '-')}.json`;
}

/**
 * The PutObject input of one evidence file: `If-None-Match: *` (the archive refuses any other write),
 * a CRC32 checksum (Object Lock buckets require one), the archive's own default encryption.
 */
export function evidencePutObjectInput(
  bucket: string,
  key: string,
  body: Uint8Array,
  expectedOwner?: string,
): {
  readonly Bucket: string;
  readonly Key: string;
  readonly Body: Uint8Array;
  readonly IfNoneMatch: '*';
  readonly ContentType: 'application/json';
  readonly ChecksumAlgorithm: 'CRC32';
  readonly ExpectedBucketOwner?: string;
} {
  return {
    Bucket: bucket,
    Key: key,
    Body: body,
    IfNoneMatch: '*',
    ContentType: 'application/json',
    ChecksumAlgorithm: 'CRC32',
    ...(expectedOwner ? { ExpectedBucketOwner: expectedOwner } : {}),
  };
}
/** Environment variable of the exporter: the account that owns the export bucket (`S3BucketOwner`). */
export const EXPORT_BUCKET_OWNER_VARIABLE = 'CLOVER_EXPORT_BUCKET_OWNER';
