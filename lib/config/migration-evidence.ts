/**
 * The evidence `clover migration verify` writes (`--out`, `--format json`): a
 * contract with the cut-over gate that reads it, so its shape changes only by
 * adding fields. docs/migration.md documents every field.
 */

export const EVIDENCE_TOOL = 'clover';
export const EVIDENCE_KIND = 'migration-verification';

/** The two report formats the verifier reads. */
export const REPORT_KINDS = ['s3-inventory', 'dynamodb-export'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** How matched records were compared (docs/migration.md, "What is compared"). */
export const COMPARISONS = [
  'key+size',
  'key+size+etag',
  'key+size+etag-where-md5',
  'key+versionId+size',
  'key+versionId+size+etag',
  'key+versionId+size+etag-where-md5',
  'primary-key+item-sha256',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type Verdict = 'complete' | 'incomplete';

/** The lists of missing keys and mismatches hold at most this many entries, first in key order. */
export const LISTED_LIMIT = 1000;

/** One side of the comparison: the manifest it was read from. */
export interface VerifiedReport {
  /** The manifest path as given on the command line. */
  readonly path: string;
  readonly kind: ReportKind;
  /** The bucket the inventory lists (`sourceBucket`) or the table the export holds (from `tableArn`). */
  readonly store: string;
  /** sha256 of the manifest file's bytes. */
  readonly sha256: string;
}

export interface Counts {
  /** Records in the source report (current versions only, unless --versions). */
  readonly source: number;
  readonly destination: number;
  /** In the source, not in the destination. */
  readonly missing: number;
  /** In both, with different size, ETag or content. */
  readonly mismatched: number;
  /** In the destination, not in the source (reported; does not make the verdict incomplete). */
  readonly extra: number;
}

/** What the report says about an object, on one side of a mismatch. */
export interface ObjectState {
  readonly size: number | null;
  readonly etag: string | null;
  readonly deleteMarker: boolean;
}

/** What the report says about an item, on one side of a mismatch. */
export interface ItemState {
  /** sha256 (hex) of the item in canonical DynamoDB JSON. */
  readonly sha256: string;
}

export type MismatchReason = 'size' | 'etag' | 'delete-marker' | 'content';

export interface Mismatch {
  /** The decoded object key (`key?versionId=…` with --versions) or the item's primary key as DynamoDB JSON. */
  readonly key: string;
  readonly reason: MismatchReason;
  readonly source: ObjectState | ItemState;
  readonly destination: ObjectState | ItemState;
}

/** The evidence document; keys appear in this order. */
export interface MigrationVerification {
  readonly tool: typeof EVIDENCE_TOOL;
  readonly kind: typeof EVIDENCE_KIND;
  readonly generatedAt: string;
  readonly source: VerifiedReport;
  readonly destination: VerifiedReport;
  /** Present for S3 Inventory reports. */
  readonly objects?: Counts;
  /** Present for DynamoDB exports. */
  readonly items?: Counts;
  readonly comparison: Comparison;
  /** Missing keys, first LISTED_LIMIT in key order (Unicode code point order, as S3 lists keys). */
  readonly missing: readonly string[];
  /** Mismatches, first LISTED_LIMIT in key order. */
  readonly mismatched: readonly Mismatch[];
  /** `complete` exactly when nothing is missing and nothing mismatched. */
  readonly verdict: Verdict;
}
