import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { archiveBucketName, shipperRoleName } from '../../config/naming';
import { EvidenceBucket } from './evidence-bucket';
import { pascal } from './identifiers';
import {
  OrganizationPrincipals,
  organizationRoleStatement,
  outsideEnclaveOusCondition,
} from './organization-grants';
import { ServiceKey } from './service-key';

/** An enclave role that writes into the archive: its log shipper, or another writer of evidence. */
export interface ArchiveWriter {
  /** Enclave name: its shipper role is `shipperRoleName(name)` and it writes under `archive/<name>/<account>/`. */
  readonly name: string;
  readonly account: string;
  /**
   * The writing role (in `account`).
   * @default shipperRoleName(name)
   */
  readonly roleName?: string;
  /**
   * Prefix it writes under.
   * @default shipperPrefix(name, account)
   */
  readonly prefix?: string;
}

export interface EvidenceArchiveProps {
  /** Enclaves whose shipper roles may write (each under its own prefix). */
  readonly writers: readonly ArchiveWriter[];
  /** Object Lock retention (COMPLIANCE mode), in whole days. */
  readonly retention: Duration;
  /** Name of the role (in this account) that alone may read the archive. */
  readonly readerRoleName: string;
  /**
   * Grant by organisation instead of listing the writers' accounts: any shipper role of an account under
   * the enclave OUs writes under the prefix of its own `clover:enclave` tag, which must also be the
   * enclave in its name. The policies then stay the same size however many enclaves write.
   * @default the writers, account by account
   */
  readonly organization?: OrganizationPrincipals;
}

/** The tag that names a role's enclave (every Clover stack tags its resources with it). */
const ENCLAVE_TAG_VARIABLE = '${aws:PrincipalTag/clover:enclave}';
/** The calling principal's account. */
const ACCOUNT_VARIABLE = '${aws:PrincipalAccount}';

/** An enclave's prefix: its shippers' batches and its migration evidence lie under it (see docs/monitor-api.md). */
export function archivePrefix(enclave: string): string {
  return `archive/${enclave}/`;
}

/**
 * Prefix under which an enclave's shipper in `account` writes its batches: the account is part of it, so
 * that the archive's policy pins every writer to its own account's prefix (with an organisation, through
 * `${aws:PrincipalAccount}`), and a role of another account cannot add batches beside the enclave's own.
 */
export function shipperPrefix(enclave: string, account: string): string {
  return `${archivePrefix(enclave)}${account}/`;
}

/**
 * What a writer of the archive (a shipper, a migration verifier) needs of the archive's key, from its own
 * account: kms:GenerateDataKey only (what S3 asks for a single-part SSE-KMS PutObject, and all the key's
 * policy grants), through S3 in the archive's region, for the archive bucket (S3 Bucket Keys) or an object
 * in it, never a bucket whose name only starts alike.
 */
export function archiveKeyStatement(
  stack: Stack,
  sid: string,
  archive: { readonly account: string; readonly region: string },
): iam.PolicyStatement {
  const bucket = `arn:${stack.partition}:s3:::${archiveBucketName(archive.account, archive.region)}`;
  return new iam.PolicyStatement({
    sid,
    actions: ['kms:GenerateDataKey'],
    resources: [`arn:${stack.partition}:kms:${archive.region}:${archive.account}:key/*`],
    conditions: {
      StringEquals: { 'kms:ViaService': `s3.${archive.region}.${stack.urlSuffix}` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket, `${bucket}/*`] },
    },
  });
}

/**
 * The EU evidence archive of the monitoring plane: Object Lock in COMPLIANCE
 * mode, SSE-KMS with the monitoring account's key, TLS only; writable
 * (`s3:PutObject`, conditional on `If-None-Match`) by the enclaves' shipper
 * roles only, each under its own prefix; readable by one reader role only.
 *
 * Principals are written as account roots narrowed by `aws:PrincipalArn`, so
 * that the policies deploy before the enclave roles exist.
 */
export class EvidenceArchive extends Construct {
  public readonly key: ServiceKey;
  public readonly evidence: EvidenceBucket;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceArchiveProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { partition, region, account } = stack;
    if (props.writers.length === 0) throw new Error('EvidenceArchive needs at least one enclave writer');
    const retentionDays = props.retention.toDays({ integral: false });
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(
        `EvidenceArchive retention ${props.retention.toHumanString()} is not a positive whole number of days; set monitoring.archiveRetentionDays to e.g. 365`,
      );
    }
    const bucketName = archiveBucketName(account, region);
    this.key = new ServiceKey(this, 'Key', {
      alias: 'clover-monitoring-archive',
      description: 'Clover evidence archive (S3 Object Lock) of the monitoring plane',
    });
    this.evidence = new EvidenceBucket(this, 'Archive', {
      encryptionKey: this.key.key,
      bucketName,
      complianceRetention: Duration.days(retentionDays),
      lifecycleRules: [], // its own rule follows
    });
    this.bucket = this.evidence.bucket;
    // Delete a version the day after its lock ends: evidence is kept exactly as long as configured.
    // S3 refuses ExpiredObjectDeleteMarker (even false) beside an expiration in days: MalformedXML.
    this.bucket.addLifecycleRule({
      id: 'ExpireAfterRetention',
      expiration: Duration.days(retentionDays + 1),
      noncurrentVersionExpiration: Duration.days(1),
    });

    const roleArn = (accountId: string, name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;
    const writerRole = (writer: ArchiveWriter) =>
      roleArn(writer.account, writer.roleName ?? shipperRoleName(writer.name));
    const writerArns = props.writers.map(writerRole);
    const readerArn = roleArn(account, props.readerRoleName);
    const objects = this.bucket.arnForObjects('*');
    const s3Service = `s3.${region}.${stack.urlSuffix}`;

    const organization = props.organization;
    // Writers other than the shippers (the migration verifiers): named one by one, with or without an organisation.
    const namedWriters = props.writers.filter((writer) => writer.roleName);
    // A shipper role of any enclave account, named after the enclave of its own tag: clover-<tag>-log-shipper.
    const taggedShipper = roleArn('*', shipperRoleName(ENCLAVE_TAG_VARIABLE));
    if (organization) {
      this.bucket.addToResourcePolicy(
        organizationRoleStatement(organization, {
          sid: 'ShippersWriteTheirEnclavePrefix',
          rolePattern: taggedShipper,
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${shipperPrefix(ENCLAVE_TAG_VARIABLE, ACCOUNT_VARIABLE)}*`)],
        }),
      );
    }
    // With an organisation the shippers are granted by their tag above; other writers are named one by one.
    for (const writer of organization ? namedWriters : props.writers) {
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `${writer.roleName ? pascal(writer.roleName) : 'ShipperWrites'}${pascal(writer.name)}`,
          principals: [new iam.AccountPrincipal(writer.account)],
          actions: ['s3:PutObject'],
          resources: [
            this.bucket.arnForObjects(`${writer.prefix ?? shipperPrefix(writer.name, writer.account)}*`),
          ],
          conditions: { ArnEquals: { 'aws:PrincipalArn': writerRole(writer) } },
        }),
      );
    }
    const deny = (
      sid: string,
      actions: string[],
      conditions: Record<string, unknown> | undefined,
      resources = [objects],
    ) =>
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid,
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions,
          resources,
          conditions,
        }),
      );
    if (organization) {
      deny('OnlyShippersWrite', ['s3:PutObject'], {
        ArnNotLike: { 'aws:PrincipalArn': [taggedShipper, ...namedWriters.map(writerRole)] },
      });
      deny('OnlyEnclaveAccountsWrite', ['s3:PutObject'], outsideEnclaveOusCondition(organization));
      // A tag names one enclave: with a `/` (`dublin-1/migration`) it would make the role pattern match a role
      // with a path (`role/clover-dublin-1/migration-log-shipper`) and the prefix another enclave's sub-prefix.
      // (Tag values cannot hold `*` or `?`.)
      deny('EnclaveTagNamesOneEnclave', ['s3:PutObject'], {
        StringLike: { 'aws:PrincipalTag/clover:enclave': '*/*' },
      });
    } else {
      deny('OnlyShippersWrite', ['s3:PutObject'], { ArnNotEquals: { 'aws:PrincipalArn': writerArns } });
    }
    // The migration verifiers' evidence lies under its enclave's prefix (archive/<enclave>/migration/): no
    // shipper may write there first, with or without an organisation; only the named writers.
    deny(
      'OnlyVerifiersWriteMigrationEvidence',
      ['s3:PutObject'],
      namedWriters.length
        ? { ArnNotEquals: { 'aws:PrincipalArn': namedWriters.map(writerRole) } }
        : undefined,
      [this.bucket.arnForObjects(`${archivePrefix('*')}migration/*`)],
    );
    // Every write is `If-None-Match: *`, so a replay never adds a version. Multipart uploads (whose parts carry no
    // conditional header) are refused too: a batch is at most shipper.maxRequestBytes and goes in one PutObject.
    deny('WritesAreConditional', ['s3:PutObject'], { Null: { 's3:if-none-match': 'true' } });
    // Writes without encryption headers take the bucket's default, the archive key. A write that names
    // another encryption (SSE-S3) or another key is refused: the conditions apply only when the header is
    // present (a missing key makes a negated operator true, with or without IfExists).
    deny('WritesUseSseKms', ['s3:PutObject'], {
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
      Null: { 's3:x-amz-server-side-encryption': 'false' },
    });
    // Nor a key of the writer's own (SSE-C): S3 would keep an object the archive's key never sealed.
    deny('NoCustomerProvidedKeys', ['s3:PutObject'], {
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
    });
    deny('WritesUseTheArchiveKey', ['s3:PutObject'], {
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.key.key.keyArn },
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
    });
    deny(
      'OnlyTheReaderReads',
      ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:RestoreObject'],
      {
        ArnNotEquals: { 'aws:PrincipalArn': readerArn },
      },
    );

    const encryptVia = {
      StringEquals: { 'kms:ViaService': s3Service },
      // The bucket (S3 Bucket Keys) or an object in it, never a bucket whose name only starts alike.
      StringLike: {
        'kms:EncryptionContext:aws:s3:arn': [
          `arn:${partition}:s3:::${bucketName}`,
          `arn:${partition}:s3:::${bucketName}/*`,
        ],
      },
    };
    const writersEncrypt = (sid: string, writers: readonly ArchiveWriter[]) =>
      new iam.PolicyStatement({
        sid,
        principals: [...new Set(writers.map((writer) => writer.account))].map(
          (id) => new iam.AccountPrincipal(id),
        ),
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { ...encryptVia, ArnEquals: { 'aws:PrincipalArn': writers.map(writerRole) } },
      });
    this.key.key.addToResourcePolicy(
      organization
        ? organizationRoleStatement(organization, {
            sid: 'ShippersEncryptViaS3',
            rolePattern: taggedShipper,
            actions: ['kms:GenerateDataKey'],
            resources: ['*'],
            conditions: encryptVia,
          })
        : writersEncrypt('ShippersEncryptViaS3', props.writers),
    );
    if (organization && namedWriters.length > 0)
      this.key.key.addToResourcePolicy(writersEncrypt('NamedWritersEncryptViaS3', namedWriters));
    this.key.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ReaderDecryptsViaS3',
        principals: [new iam.AccountPrincipal(account)],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': s3Service },
          ArnEquals: { 'aws:PrincipalArn': readerArn },
        },
      }),
    );
  }

  /** What the reader role may do: list, get versions with their retention, decrypt via S3. */
  public readStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    return [
      new iam.PolicyStatement({
        actions: [
          's3:ListBucket',
          's3:ListBucketVersions',
          's3:GetBucketObjectLockConfiguration',
          's3:GetBucketLocation',
        ],
        resources: [this.bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
        resources: [this.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }),
    ];
  }

  /** Grants {@link readStatements} to the reader. */
  public grantRead(grantee: iam.IGrantable): void {
    for (const statement of this.readStatements()) grantee.grantPrincipal.addToPrincipalPolicy(statement);
  }
}
