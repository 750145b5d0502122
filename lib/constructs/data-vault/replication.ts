import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { viaService } from './enclave-key';
import { dataBucketName, dataKeyAliasName, replicationRoleName } from './naming';

/** The enclave at the other end of a replication pair. */
export interface ReplicationPeer {
  readonly enclave: string;
  readonly account: string;
  readonly region: string;
}

/** Replication of one data class of this enclave to another enclave. */
export interface OutgoingReplication {
  readonly dataClass: string;
  readonly destination: ReplicationPeer;
}

/** Replication of one data class from another enclave into this one. */
export interface IncomingReplication {
  readonly dataClass: string;
  readonly source: ReplicationPeer;
}

export interface ReplicationSourceProps {
  readonly enclave: string;
  /** This enclave's data buckets by class. */
  readonly buckets: { readonly [dataClass: string]: s3.Bucket };
  /** This enclave's data keys by class. */
  readonly keys: { readonly [dataClass: string]: kms.IKey };
  readonly replications: readonly OutgoingReplication[];
}

/** Replication actions on destination objects. */
const REPLICA_WRITE_ACTIONS = [
  's3:ReplicateObject',
  's3:ReplicateDelete',
  's3:ReplicateTags',
  's3:ObjectOwnerOverrideToBucketOwner',
];

/** ARN of an enclave's data bucket, built from its deterministic name. */
export function peerBucketArn(stack: Stack, peer: ReplicationPeer, dataClass: string): string {
  return `arn:${stack.partition}:s3:::${dataBucketName(peer.enclave, dataClass, peer.account, peer.region)}`;
}

/**
 * Alias ARN of a peer's data key. S3 accepts an alias ARN as `ReplicaKmsKeyID`; a full alias ARN names
 * the destination account, so KMS never resolves it in the replicating account.
 */
export function peerKeyAliasArn(stack: Stack, peer: ReplicationPeer, dataClass: string): string {
  return `arn:${stack.partition}:kms:${peer.region}:${peer.account}:${dataKeyAliasName(peer.enclave, dataClass)}`;
}

/** ARN of a peer's replication role (may not exist yet: policies match it with `aws:PrincipalArn`). */
export function peerReplicationRoleArn(
  stack: Stack,
  peer: { readonly enclave: string; readonly account: string },
): string {
  return `arn:${stack.partition}:iam::${peer.account}:role/${replicationRoleName(peer.enclave)}`;
}

/** Where one replication rule sends a bucket's objects. */
export interface ReplicationTarget {
  /** Rule ID, e.g. `to-dublin-2`. */
  readonly id: string;
  readonly bucketArn: string;
  readonly account: string;
  readonly region: string;
  /** Key (or alias) ARN that encrypts the replicas in the destination. */
  readonly replicaKeyArn: string;
  /**
   * Replicate only objects under this prefix.
   * @default every object
   */
  readonly prefix?: string;
}

/**
 * The source side of replication: one role that S3 assumes, and replication
 * rules on each replicated bucket that send every object version to the
 * destination enclave's bucket, re-encrypted with the destination's key.
 */
export class ReplicationSource extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReplicationSourceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: replicationRoleName(props.enclave),
      description: `Clover ${props.enclave}: S3 replication to other European enclaves`,
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });

    const byClass = new Map<string, OutgoingReplication[]>();
    for (const replication of props.replications) {
      byClass.set(replication.dataClass, [...(byClass.get(replication.dataClass) ?? []), replication]);
    }
    for (const [dataClass, replications] of byClass) {
      this.replicate(
        props.buckets[dataClass],
        props.keys[dataClass],
        replications.map(({ destination }) => ({
          id: `to-${destination.enclave}`,
          bucketArn: peerBucketArn(stack, destination, dataClass),
          account: destination.account,
          region: destination.region,
          replicaKeyArn: peerKeyAliasArn(stack, destination, dataClass),
        })),
      );
    }
  }

  /**
   * Replicates a bucket of this enclave (encrypted with `key`) to each target, through this role: the
   * rules, and the role's grants on both sides. A bucket's replication configuration is set once.
   */
  public replicate(bucket: s3.Bucket, key: kms.IKey, targets: readonly ReplicationTarget[]): void {
    const stack = Stack.of(this);
    this.grantSource(stack, bucket, key);
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: this.role.roleArn,
      rules: targets.map((target, priority) => {
        this.grantDestination(stack, target);
        return {
          id: target.id,
          status: 'Enabled',
          priority,
          filter: { prefix: target.prefix ?? '' },
          // Erasure must reach the replica: delete markers follow the source.
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: target.bucketArn,
            account: target.account,
            accessControlTranslation: { owner: 'Destination' },
            encryptionConfiguration: { replicaKmsKeyId: target.replicaKeyArn },
          },
        };
      }),
    };
  }

  private grantSource(stack: Stack, bucket: s3.Bucket, key: kms.IKey): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:GetObjectVersionForReplication',
          's3:GetObjectVersionAcl',
          's3:GetObjectVersionTagging',
        ],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': viaService(stack, 's3') },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, bucket.arnForObjects('*')] },
        },
      }),
    );
  }

  private grantDestination(stack: Stack, target: ReplicationTarget): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: REPLICA_WRITE_ACTIONS,
        resources: [`${target.bucketArn}/${target.prefix ?? ''}*`],
      }),
    );
    // The destination key's ID is unknown here; the destination key policy admits only this role.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [`arn:${stack.partition}:kms:${target.region}:${target.account}:key/*`],
        conditions: {
          StringEquals: { 'kms:ViaService': viaService(stack, 's3', target.region) },
        },
      }),
    );
  }
}

/**
 * The destination side of replication: the bucket policy and the key policy admit
 * the source enclave's replication role (matched by `aws:PrincipalArn`, so the
 * destination can deploy first).
 */
export function allowIncomingReplication(
  bucket: s3.Bucket,
  key: kms.Key,
  incoming: { readonly source: ReplicationPeer },
): void {
  const stack = Stack.of(bucket);
  const source = incoming.source;
  const fromRole = { ArnEquals: { 'aws:PrincipalArn': peerReplicationRoleArn(stack, source) } };
  const sourceAccount = new iam.AccountPrincipal(source.account);
  const sid = `ReplicationFrom${pascalCase(source.enclave)}`;
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `${sid}Objects`,
      principals: [sourceAccount],
      actions: REPLICA_WRITE_ACTIONS,
      resources: [bucket.arnForObjects('*')],
      conditions: fromRole,
    }),
  );
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `${sid}Bucket`,
      principals: [sourceAccount],
      actions: ['s3:GetBucketVersioning', 's3:PutBucketVersioning'],
      resources: [bucket.bucketArn],
      conditions: fromRole,
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: [sourceAccount],
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { ...fromRole, StringEquals: { 'kms:ViaService': viaService(stack, 's3') } },
    }),
  );
}

function pascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
