import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { designDecision } from '../design-decision';
import {
  DATA_NONCURRENT_VERSION_DAYS,
  accessLogBucketProps,
  PRIVATE_BUCKET_PROPS,
  sendEventsToEventBridge,
  versionHousekeeping,
} from './bucket-controls';
import { EnclaveKey } from './enclave-key';
import { dataBucketName, dataKeyAliasName, dataTableName } from './naming';
import {
  IncomingReplication,
  OutgoingReplication,
  ReplicationSource,
  allowIncomingReplication,
} from './replication';

/** Object Lock defaults for the data buckets. */
export interface DataVaultObjectLock {
  /** `GOVERNANCE` (a privileged principal may shorten retention) or `COMPLIANCE` (nobody may). */
  readonly mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Default retention of every new object version, in days. */
  readonly days: number;
}

export interface DataVaultProps {
  /** Enclave name; part of every physical name. */
  readonly enclave: string;
  /** Data classes held in the enclave: one key and one bucket each. */
  readonly dataClasses: readonly string[];
  /**
   * Data class whose key encrypts the table, the queues and the topics.
   * @default the first of `dataClasses`
   */
  readonly primaryDataClass?: string;
  /**
   * Replication of this enclave's buckets to other enclaves.
   * @default none
   */
  readonly outgoingReplication?: readonly OutgoingReplication[];
  /**
   * Replication from other enclaves into this enclave's buckets.
   * @default none
   */
  readonly incomingReplication?: readonly IncomingReplication[];
  /**
   * Object Lock default retention on the data buckets. Object Lock can only be enabled when a bucket is
   * created: choose before the first deploy.
   * @default no Object Lock
   */
  readonly objectLock?: DataVaultObjectLock;
  /**
   * SNS topics of the vault, by name.
   * @default ['data-events']
   */
  readonly topicNames?: readonly string[];
  /**
   * How long S3 server access logs are kept (whole days).
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;
}

/** S3 server access logging requires a delivery grant to this service principal. */
const LOG_DELIVERY_PRINCIPAL = 'logging.s3.amazonaws.com';

/**
 * The resident data vault of one enclave: a customer-managed key per data class,
 * a bucket per data class (SSE-KMS with bucket keys, versioned, private,
 * TLS 1.2+ only, access-logged), a table, a work queue with its dead-letter
 * queue and SNS topics, all encrypted with the enclave's own keys, plus
 * replication to and from other European enclaves.
 */
export class DataVault extends Construct {
  /** Name of the enclave the vault belongs to. */
  public readonly enclave: string;
  /** Customer-managed key of each data class. */
  public readonly keys: { readonly [dataClass: string]: kms.Key };
  /** Key aliases (`alias/clover/<enclave>/<class>`) of each data class. */
  public readonly aliases: { readonly [dataClass: string]: kms.Alias };
  /** Data bucket of each data class. */
  public readonly buckets: { readonly [dataClass: string]: s3.Bucket };
  /** Physical name of each data bucket, as a plain string (other stacks can build ARNs without a reference). */
  public readonly bucketNames: { readonly [dataClass: string]: string };
  /** Target of the data buckets' server access logs. */
  public readonly accessLogsBucket: s3.Bucket;
  public readonly table: dynamodb.Table;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** SNS topics, by name. */
  public readonly topics: { readonly [name: string]: sns.Topic };
  /** Data class whose key encrypts the table, the queues and the topics. */
  public readonly primaryDataClass: string;
  /** Role that S3 assumes to replicate; present only when the enclave replicates. */
  public readonly replicationRole?: iam.Role;
  /** The replication rules and their role; present only when the enclave replicates. */
  public readonly replication?: ReplicationSource;

  constructor(scope: Construct, id: string, props: DataVaultProps) {
    super(scope, id);
    validateProps(this, props);
    const stack = Stack.of(this);
    this.enclave = props.enclave;
    this.primaryDataClass = props.primaryDataClass ?? props.dataClasses[0];

    const keysScope = new Construct(this, 'Keys');
    const keys: Record<string, kms.Key> = {};
    const aliases: Record<string, kms.Alias> = {};
    for (const dataClass of props.dataClasses) {
      const enclaveKey = new EnclaveKey(keysScope, dataClass, {
        enclave: props.enclave,
        aliasName: dataKeyAliasName(props.enclave, dataClass),
        description: `Clover ${props.enclave}: customer-managed key of the ${dataClass} data class`,
      });
      keys[dataClass] = enclaveKey.key;
      aliases[dataClass] = enclaveKey.alias;
    }
    this.keys = keys;
    this.aliases = aliases;

    this.accessLogsBucket = this.createAccessLogsBucket(props.accessLogRetention ?? Duration.days(365));
    this.bucketNames = Object.fromEntries(
      props.dataClasses.map((dataClass) => [
        dataClass,
        dataBucketName(props.enclave, dataClass, stack.account, stack.region),
      ]),
    );

    const bucketsScope = new Construct(this, 'Buckets');
    const buckets: Record<string, s3.Bucket> = {};
    for (const dataClass of props.dataClasses) {
      buckets[dataClass] = this.createDataBucket(bucketsScope, props, dataClass, keys[dataClass]);
    }
    this.buckets = buckets;
    this.allowAccessLogDelivery('ServerAccessLogDelivery', Object.values(buckets));

    const primaryKey = keys[this.primaryDataClass];
    this.table = new dynamodb.Table(this, 'Records', {
      tableName: dataTableName(props.enclave),
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: primaryKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.deadLetterQueue = new sqs.Queue(this, 'WorkDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: primaryKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    designDecision(this.deadLetterQueue, 'TERMINAL_QUEUE');
    this.queue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: primaryKey,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const topicsScope = new Construct(this, 'Topics');
    const topics: Record<string, sns.Topic> = {};
    for (const name of props.topicNames ?? ['data-events']) {
      topics[name] = new sns.Topic(topicsScope, name, {
        displayName: `Clover ${props.enclave} ${name}`,
        masterKey: primaryKey,
        enforceSSL: true,
      });
    }
    this.topics = topics;

    const outgoing = props.outgoingReplication ?? [];
    if (outgoing.length > 0) {
      const source = new ReplicationSource(this, 'Replication', {
        enclave: props.enclave,
        buckets,
        keys,
        replications: outgoing,
      });
      this.replicationRole = source.role;
      this.replication = source;
    }
    for (const incoming of props.incomingReplication ?? []) {
      allowIncomingReplication(buckets[incoming.dataClass], keys[incoming.dataClass], incoming);
    }
  }

  private createDataBucket(
    scope: Construct,
    props: DataVaultProps,
    dataClass: string,
    key: kms.Key,
  ): s3.Bucket {
    const objectLock = props.objectLock;
    const bucket = new s3.Bucket(scope, dataClass, {
      ...vaultBucketProps(this.bucketNames[dataClass], key),
      objectLockEnabled: objectLock !== undefined,
      objectLockDefaultRetention: objectLock
        ? objectLock.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(Duration.days(objectLock.days))
          : s3.ObjectLockRetention.governance(Duration.days(objectLock.days))
        : undefined,
      lifecycleRules: [versionHousekeeping(DATA_NONCURRENT_VERSION_DAYS)],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    sendEventsToEventBridge(bucket);
    if (!objectLock) designDecision(bucket, 'DATA_BUCKET_WITHOUT_OBJECT_LOCK');
    this.logAccess(bucket, `${dataClass}/`);
    return bucket;
  }

  /**
   * Server access logging of a bucket of this vault into its access log bucket, under `prefix`; set on the
   * L1 so that delivery is granted by bucket policy whatever the S3 feature flags say
   * ({@link allowAccessLogDelivery} grants it).
   */
  public logAccess(bucket: s3.Bucket, prefix: string): void {
    (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: prefix,
    };
  }

  /**
   * The server access log bucket uses SSE-S3: the S3 user guide supports default encryption of a
   * log destination bucket only with SSE-S3, and SSE-KMS there may silently drop logs. Access logs
   * hold request metadata, never object contents. See docs/acknowledgments.md.
   */
  private createAccessLogsBucket(retention: Duration): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', accessLogBucketProps(retention));
    designDecision(bucket, 'ACCESS_LOG_BUCKET');
    sendEventsToEventBridge(bucket);
    return bucket;
  }

  /** Lets S3 deliver the server access logs of `sources` (buckets of this account) to the access log bucket. */
  public allowAccessLogDelivery(sid: string, sources: readonly s3.Bucket[]): void {
    const stack = Stack.of(this);
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.ServicePrincipal(LOG_DELIVERY_PRINCIPAL)],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': sources.map((bucket) => bucket.bucketArn) },
        },
      }),
    );
  }
}

/**
 * A private bucket of an enclave for data or reports: SSE-KMS with `key` and S3 Bucket Keys, versioned,
 * public access blocked, objects owned by the bucket owner, TLS 1.2+ only, retained.
 */
export function vaultBucketProps(bucketName: string, key: kms.IKey): s3.BucketProps {
  return {
    ...PRIVATE_BUCKET_PROPS,
    bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
  };
}

/** Throws one error listing every inconsistency between the props. */
function validateProps(scope: Construct, props: DataVaultProps): void {
  const problems: string[] = [];
  const classes = new Set(props.dataClasses);
  if (props.dataClasses.length === 0) problems.push('dataClasses is empty; give at least one data class');
  if (classes.size !== props.dataClasses.length)
    problems.push(`dataClasses ${JSON.stringify(props.dataClasses)} lists a class twice`);
  if (props.primaryDataClass !== undefined && !classes.has(props.primaryDataClass)) {
    problems.push(
      `primaryDataClass "${props.primaryDataClass}" is not one of dataClasses (${props.dataClasses.join(', ')})`,
    );
  }
  const replications = [...(props.outgoingReplication ?? []), ...(props.incomingReplication ?? [])];
  for (const replication of replications) {
    if (!classes.has(replication.dataClass)) {
      problems.push(
        `replication of data class "${replication.dataClass}" names no data class of this vault (${props.dataClasses.join(', ')})`,
      );
    }
  }
  if (props.objectLock && (!Number.isInteger(props.objectLock.days) || props.objectLock.days < 1)) {
    problems.push(`objectLock.days ${props.objectLock.days} must be a whole number of days, at least 1`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid DataVault at ${scope.node.path}:\n  - ${problems.join('\n  - ')}`);
  }
}
