/**
 * Deterministic physical names of an enclave's data vault. Replication crosses
 * accounts and CDK stages, so the source enclave must be able to name the
 * destination's bucket, key alias and the replication role without a
 * cross-stack reference. Pure functions: config validation uses them too.
 */

/** S3 bucket names are 3 to 63 characters. */
export const MAX_BUCKET_NAME_LENGTH = 63;

/** IAM role names are at most 64 characters. */
export const MAX_ROLE_NAME_LENGTH = 64;

/** Pattern of a data class name: it becomes part of bucket names, aliases and construct IDs. */
export const DATA_CLASS_PATTERN = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** KMS alias name of an enclave's key for one data class: `alias/clover/<enclave>/<class>`. */
export function dataKeyAliasName(enclave: string, dataClass: string): string {
  return `alias/clover/${enclave}/${dataClass}`;
}

/** S3 bucket of one data class: `clover-<enclave>-<class>-<account>-<region>` (globally unique). */
export function dataBucketName(enclave: string, dataClass: string, account: string, region: string): string {
  return `clover-${enclave}-${dataClass}-${account}-${region}`;
}

/** IAM role that S3 assumes to replicate an enclave's buckets to other enclaves. */
export function replicationRoleName(enclave: string): string {
  return `clover-${enclave}-s3-replication`;
}

/**
 * Why a data bucket name would be invalid, or undefined when it is valid. Names
 * are built from validated parts (lower-case enclave, class, digits, region), so
 * only the length can go wrong.
 */
export function dataBucketNameProblem(
  enclave: string,
  dataClass: string,
  account: string,
  region: string,
): string | undefined {
  const name = dataBucketName(enclave, dataClass, account, region);
  if (name.length <= MAX_BUCKET_NAME_LENGTH) return undefined;
  return `gives the bucket name "${name}" of ${name.length} characters; S3 allows at most ${MAX_BUCKET_NAME_LENGTH}`;
}

/**
 * DynamoDB table of an enclave's records: `clover-<enclave>-records`. A fixed name, so that migration
 * evidence (which names the table) can be matched to the store at synth.
 */
export function dataTableName(enclave: string): string {
  return `clover-${enclave}-records`;
}
