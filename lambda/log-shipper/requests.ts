/**
 * The requests the shipper makes to AWS, defined once. The S3 adapter builds
 * its PutObject and its client from these functions; the LogShipping construct
 * declares the same requests in the cloud assembly (`clover:flows`), so the
 * runtime flow proof (CLV-RUN) judges exactly what the code sends. Pure: no SDK.
 */

import { SHIPPER_VARIABLES } from '../../lib/config/shipper-contract';

/** The key each batch is archived under, part of the request. */
export { archiveKey } from './archive';

/** Where the archive is and how writes to it are encrypted (from the shipper's environment). */
export interface ArchiveTarget {
  readonly bucket: string;
  /** Account that must own the bucket (`ExpectedBucketOwner`). */
  readonly expectedOwner?: string;
}

/** The PutObject input of one archived batch (the SDK's field names). */
export interface ArchivePutObjectInput {
  readonly Bucket: string;
  readonly Key: string;
  readonly Body: Uint8Array;
  readonly IfNoneMatch: '*';
  readonly ContentType: string;
  readonly ContentEncoding: string;
  readonly ChecksumAlgorithm: 'CRC32';
  readonly Metadata: Readonly<Record<string, string>>;
  readonly ExpectedBucketOwner?: string;
  readonly ServerSideEncryption?: 'aws:kms';
  readonly SSEKMSKeyId?: string;
}

/** The S3 client settings of the archive writer. */
export interface ArchiveClientSettings {
  /** Region of the S3 endpoint: the archive's (`CLOVER_ARCHIVE_REGION`), else the SDK's default (`AWS_REGION`). */
  readonly region?: string;
  /** Follow S3's 301 to a bucket's own region instead of failing (SDK v3's default is not to). */
  readonly followRegionRedirects: true;
}

/** Environment variable naming the archive bucket's region (the monitoring plane's). */
export const ARCHIVE_REGION_VARIABLE = SHIPPER_VARIABLES.archiveRegion;

/**
 * The PutObject of one batch: `If-None-Match: *` makes a replay answer 412
 * instead of adding a version; Object Lock buckets require a checksum.
 */
export function archivePutObjectInput(
  target: ArchiveTarget,
  key: string,
  body: Uint8Array,
  eventCount: number,
): ArchivePutObjectInput {
  return {
    Bucket: target.bucket,
    Key: key,
    Body: body,
    IfNoneMatch: '*',
    ContentType: 'application/x-ndjson',
    ContentEncoding: 'gzip',
    ChecksumAlgorithm: 'CRC32',
    Metadata: { 'event-count': String(eventCount) },
    ...(target.expectedOwner ? { ExpectedBucketOwner: target.expectedOwner } : {}),
  };
}

/**
 * The archive client's settings for an environment (the variables the construct sets): an S3 client
 * in the archive's region, so that a shipper in another region writes to the bucket's own endpoint.
 */
export function archiveClientSettings(
  env: Readonly<Record<string, string | undefined>>,
): ArchiveClientSettings {
  const region = env[ARCHIVE_REGION_VARIABLE]?.trim() || undefined;
  return { ...(region ? { region } : {}), followRegionRedirects: true };
}

/**
 * The IAM condition keys a PutObject carries, as S3 derives them from its
 * headers: what a bucket policy's conditions on `s3:*` keys see.
 */
export function putObjectConditionKeys(input: ArchivePutObjectInput): Record<string, string> {
  const keys: Record<string, string> = { 's3:if-none-match': input.IfNoneMatch };
  if (input.ServerSideEncryption) keys['s3:x-amz-server-side-encryption'] = input.ServerSideEncryption;
  if (input.SSEKMSKeyId) keys['s3:x-amz-server-side-encryption-aws-kms-key-id'] = input.SSEKMSKeyId;
  return keys;
}
