/**
 * Deterministic names of the migration resources. The interim enclave and its
 * target live in different accounts, regions and CDK stages: each side names the
 * other's bucket and roles without a cross-stack reference. Pure functions.
 */

/**
 * Bucket of an enclave's migration reports (S3 Inventory, table exports, batch replication reports):
 * `clover-<enclave>-<account>-<region>-migration`. It ends in `-migration`, so no data class can give a
 * data bucket (`clover-<enclave>-<class>-<account>-<region>`) the same name.
 */
export function migrationBucketName(enclave: string, account: string, region: string): string {
  return `clover-${enclave}-${account}-${region}-migration`;
}

/** KMS alias of the key of an enclave's migration reports. */
export function migrationKeyAliasName(enclave: string): string {
  return `alias/clover/${enclave}/migration`;
}

/** Role that S3 Batch Operations assumes to replicate an interim bucket's existing objects. */
export function batchReplicationRoleName(enclave: string): string {
  return `clover-${enclave}-batch-replication`;
}

/** Role of the function that exports an interim enclave's table (full and incremental exports). */
export function tableExporterRoleName(enclave: string): string {
  return `clover-${enclave}-table-exporter`;
}

/** Role of the target's verifier, which compares the reports and archives the evidence. */
export function migrationVerifierRoleName(target: string): string {
  return `clover-${target}-migration-verifier`;
}

/** Role of the target's applier, which loads the interim tables' exports into the target table. */
export function migrationApplierRoleName(target: string): string {
  return `clover-${target}-migration-applier`;
}

/** The enclave at the other end of a migration. */
export interface MigrationPeer {
  readonly enclave: string;
  readonly account: string;
  readonly region: string;
}

/** ARN of a role of a peer, by name (it may not exist yet: policies match it with `aws:PrincipalArn`). */
export function peerRoleArn(partition: string, peer: { readonly account: string }, roleName: string): string {
  return `arn:${partition}:iam::${peer.account}:role/${roleName}`;
}
