/**
 * What the table exporter asks DynamoDB for, decided without the SDK: a full
 * export, or an incremental export of one whole hour. Windows are aligned to the
 * hour and each request carries a client token derived from it, so a retried or
 * repeated run asks for the same export (DynamoDB answers it idempotently for 8
 * hours) and consecutive runs leave no gap and no overlap.
 */
import {
  EXPORT_BUCKET_OWNER_VARIABLE,
  EXPORT_BUCKET_VARIABLE,
  EXPORT_KEY_VARIABLE,
  EXPORT_TABLE_VARIABLE,
  tableExportPrefix,
} from './contract';

/** The exporter's environment, read once. */
export interface ExporterSettings {
  readonly tableArn: string;
  readonly bucket: string;
  readonly bucketOwner: string;
  /** Key (or alias) ARN of the destination's key. */
  readonly keyArn: string;
}

/** The event a schedule sends; an operator may name an incremental window (epoch seconds) for a re-run. */
export interface ExporterEvent {
  readonly kind?: string;
  readonly exportFromTime?: number;
  readonly exportToTime?: number;
}

/** The ExportTableToPointInTime input (the SDK's field names; times in epoch seconds). */
export interface ExportRequest {
  readonly TableArn: string;
  readonly S3Bucket: string;
  readonly S3BucketOwner: string;
  readonly S3Prefix: string;
  readonly S3SseAlgorithm: 'KMS';
  readonly S3SseKmsKeyId: string;
  readonly ExportFormat: 'DYNAMODB_JSON';
  readonly ExportType: 'FULL_EXPORT' | 'INCREMENTAL_EXPORT';
  readonly ClientToken: string;
  readonly IncrementalExportSpecification?: {
    readonly ExportFromTime: number;
    readonly ExportToTime: number;
    readonly ExportViewType: 'NEW_IMAGE';
  };
}

const HOUR = 3600;
/** DynamoDB's shortest and longest incremental export windows. */
const MIN_WINDOW = 15 * 60;
const MAX_WINDOW = 24 * HOUR;

/** Reads the exporter's settings from its environment; throws naming the first missing variable. */
export function exporterSettings(env: Readonly<Record<string, string | undefined>>): ExporterSettings {
  const need = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  return {
    tableArn: need(EXPORT_TABLE_VARIABLE),
    bucket: need(EXPORT_BUCKET_VARIABLE),
    bucketOwner: need(EXPORT_BUCKET_OWNER_VARIABLE),
    keyArn: need(EXPORT_KEY_VARIABLE),
  };
}

/** `arn:aws:dynamodb:us-east-1:555555555555:table/clover-interim-us-records` → the table name. */
export function tableNameOf(tableArn: string): string {
  const match = /:table\/([^/]+)$/.exec(tableArn);
  if (!match) throw new Error(`${tableArn} is not a DynamoDB table ARN`);
  return match[1];
}

/** The export to request for an event at `now` (epoch seconds). */
export function exportRequest(settings: ExporterSettings, event: ExporterEvent, now: number): ExportRequest {
  const table = tableNameOf(settings.tableArn);
  const common = {
    TableArn: settings.tableArn,
    S3Bucket: settings.bucket,
    S3BucketOwner: settings.bucketOwner,
    S3SseAlgorithm: 'KMS' as const,
    S3SseKmsKeyId: settings.keyArn,
    ExportFormat: 'DYNAMODB_JSON' as const,
  };
  const kind = event.kind ?? 'full';
  if (kind === 'full') {
    const day = new Date(now * 1000).toISOString().slice(0, 10);
    return {
      ...common,
      S3Prefix: tableExportPrefix(table, 'full'),
      ExportType: 'FULL_EXPORT',
      ClientToken: `full-${day}`,
    };
  }
  if (kind !== 'incremental')
    throw new Error(`event kind ${JSON.stringify(kind)} is neither "full" nor "incremental"`);
  const to = event.exportToTime ?? Math.floor(now / HOUR) * HOUR;
  const from = event.exportFromTime ?? to - HOUR;
  if (!Number.isInteger(from) || !Number.isInteger(to) || to - from < MIN_WINDOW || to - from > MAX_WINDOW) {
    throw new Error(
      `incremental window ${from}..${to} is not 15 minutes to 24 hours of whole seconds; give exportFromTime and exportToTime in epoch seconds`,
    );
  }
  if (to > now) throw new Error(`incremental window ends at ${to}, after now (${now})`);
  return {
    ...common,
    S3Prefix: tableExportPrefix(table, 'incremental'),
    ExportType: 'INCREMENTAL_EXPORT',
    ClientToken: `incremental-${from}-${to}`,
    IncrementalExportSpecification: { ExportFromTime: from, ExportToTime: to, ExportViewType: 'NEW_IMAGE' },
  };
}
