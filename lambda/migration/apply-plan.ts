/**
 * What the applier loads into the target table, decided without the SDK: from
 * the export summaries DynamoDB wrote (manifest-summary.json of each export),
 * the newest full export once, then every incremental export that ends after
 * it, oldest first; and, line by line, the write each exported item means.
 */

/** One export, from its `manifest-summary.json`. */
export interface ExportSummary {
  /** The export's folder key, `<prefix>/AWSDynamoDB/<export id>/`. */
  readonly folder: string;
  readonly exportId: string;
  readonly type: 'full' | 'incremental';
  /** Epoch milliseconds the export reflects: its export time (full), or the end of its window (incremental). */
  readonly upTo: number;
  /** Start of an incremental export's window (epoch milliseconds). */
  readonly from?: number;
  /** Key of its manifest-files.json. */
  readonly manifestFilesKey: string;
}

const time = (value: unknown): number | undefined => {
  const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(parsed) ? undefined : parsed;
};

/** Parses a manifest-summary.json found at `key`; a string says why it cannot be used. */
export function parseExportSummary(key: string, text: string): ExportSummary | string {
  const match = /^(.*\/AWSDynamoDB\/([^/]+)\/)manifest-summary\.json$/.exec(key);
  if (!match) return `${key} is not an export's manifest-summary.json`;
  let summary: Record<string, unknown>;
  try {
    summary = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `${key} is not JSON`;
  }
  if (summary.outputFormat !== undefined && summary.outputFormat !== 'DYNAMODB_JSON')
    return `${key} is a ${String(summary.outputFormat)} export; the applier reads DYNAMODB_JSON`;
  const manifestFilesKey = summary.manifestFilesS3Key;
  if (typeof manifestFilesKey !== 'string') return `${key} names no manifestFilesS3Key`;
  const incremental = summary.exportType === 'INCREMENTAL_EXPORT' || summary.exportToTime !== undefined;
  const upTo = time(incremental ? summary.exportToTime : (summary.exportTime ?? summary.startTime));
  if (upTo === undefined) return `${key} gives no ${incremental ? 'exportToTime' : 'exportTime'}`;
  const from = incremental ? time(summary.exportFromTime) : undefined;
  return {
    folder: match[1],
    exportId: match[2],
    type: incremental ? 'incremental' : 'full',
    upTo,
    ...(from !== undefined ? { from } : {}),
    manifestFilesKey,
  };
}

/**
 * The exports to apply, in order: the newest full export, unless one was applied already; then the
 * incremental exports not yet applied that end after the full export, by the end of their window.
 */
export function exportsToApply(
  summaries: readonly ExportSummary[],
  applied: ReadonlySet<string>,
): ExportSummary[] {
  const fulls = summaries.filter((s) => s.type === 'full').sort((a, b) => a.upTo - b.upTo);
  const appliedFull = fulls.filter((s) => applied.has(s.exportId)).pop();
  const base = appliedFull ?? fulls[fulls.length - 1];
  if (!base) return [];
  const increments = summaries
    .filter((s) => s.type === 'incremental' && s.upTo > base.upTo && !applied.has(s.exportId))
    .sort((a, b) => a.upTo - b.upTo);
  return [...(appliedFull ? [] : [base]), ...increments];
}

/** A DynamoDB JSON attribute map. */
export type AttributeMap = Record<string, unknown>;

/** The write one exported line means: a put of the item (full; incremental with a new image), or a delete. */
export type ItemWrite = { readonly put: AttributeMap } | { readonly delete: AttributeMap };

const isMap = (value: unknown): value is AttributeMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one line of an export data file; a string says why it is not one. */
export function writeOf(line: string, type: 'full' | 'incremental'): ItemWrite | string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return 'is not JSON';
  }
  if (type === 'full') return isMap(record.Item) ? { put: record.Item } : 'has no Item';
  if (isMap(record.NewImage)) return { put: record.NewImage };
  return isMap(record.Keys) ? { delete: record.Keys } : 'has neither NewImage nor Keys';
}
