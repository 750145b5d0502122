#!/usr/bin/env bash
# S3 Batch Replication of the objects an interim data bucket held before its replication rule into the
# European target existed (replication only copies new objects). Run it once per bucket when the enclave
# enters phase "replicating", and again before cut-over for anything that failed; the interim Data stack
# prints the exact command for each bucket (outputs BatchReplicate<Class>). docs/migration.md, "Replicating".
#
#   scripts/migration/batch-replicate.sh <account> <region> <bucket> <batch replication role ARN> <migration bucket>
#
# The job generates its own manifest (objects eligible for replication that were never replicated, or
# failed), starts their replication through the bucket's replication rule (so the copies go to the target,
# encrypted with the target's key) and writes the manifest and a completion report to the migration bucket.
set -euo pipefail

usage() {
  echo "usage: $0 <account> <region> <bucket> <batch replication role ARN> <migration bucket>" >&2
  exit 2
}
[ "$#" -eq 5 ] || usage
account=$1 region=$2 bucket=$3 role=$4 reports=$5
[[ $account =~ ^[0-9]{12}$ ]] || { echo "account \"$account\" is not 12 digits" >&2; exit 2; }
[[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || { echo "region \"$region\" is not a region code" >&2; exit 2; }
[[ $bucket =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || { echo "bucket \"$bucket\" is not a bucket name" >&2; exit 2; }
[[ $reports =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || { echo "bucket \"$reports\" is not a bucket name" >&2; exit 2; }
[[ $role =~ ^arn:(aws[a-z-]*):iam::${account}:role/.+$ ]] || {
  echo "role \"$role\" is not a role ARN of account $account" >&2
  exit 2
}
partition=${BASH_REMATCH[1]}

# One job per bucket and day: a repeated call within the day returns the same job instead of a second one.
token=$(printf '%s/%s' "$bucket" "$(date -u +%Y-%m-%d)" | sha256sum | cut -c1-32)

aws s3control create-job \
  --region "$region" \
  --account-id "$account" \
  --operation '{"S3ReplicateObject":{}}' \
  --manifest-generator "{\"S3JobManifestGenerator\":{\"ExpectedBucketOwner\":\"$account\",\"SourceBucket\":\"arn:$partition:s3:::$bucket\",\"EnableManifestOutput\":true,\"ManifestOutputLocation\":{\"ExpectedManifestBucketOwner\":\"$account\",\"Bucket\":\"arn:$partition:s3:::$reports\",\"ManifestPrefix\":\"batch-replication/manifests\",\"ManifestFormat\":\"S3InventoryReport_CSV_20211130\"},\"Filter\":{\"EligibleForReplication\":true,\"ObjectReplicationStatuses\":[\"NONE\",\"FAILED\"]}}}" \
  --report "{\"Bucket\":\"arn:$partition:s3:::$reports\",\"Prefix\":\"batch-replication/reports\",\"Format\":\"Report_CSV_20180820\",\"Enabled\":true,\"ReportScope\":\"AllTasks\"}" \
  --priority 10 \
  --role-arn "$role" \
  --client-request-token "$token" \
  --no-confirmation-required \
  --description "Clover: replicate the existing objects of $bucket"
