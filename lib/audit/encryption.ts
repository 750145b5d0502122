/**
 * Encryption at rest of every data store in a stack's template, and the key
 * behind it (the audit report's encryption inventory: data store → key → key
 * region, rotation, multi-Region flag). Pure; results are cached per index.
 */
import { bucketPolicyStatements } from './access';
import {
  conditionEntries,
  conditionValues,
  describeValue,
  isFalseValue,
  isWildcardPrincipal,
  parseArn,
  renderContextOf,
  renderString,
  statementCoversService,
  wildcardMatch,
} from './iam';
import { KeyKind, STORE_SPECS, StoreSpec } from './coverage/at-rest';
import { importedValue, nameText } from './links';
import { NOT_APPLICABLE, RuleOutcome, RuleTarget, violations } from './rule';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, getPath, isFalse, isObject, isTrue, literalString, objectsAt, valueAt } from './values';

export type { KeyKind } from './coverage/at-rest';

/** The key a data store uses, as far as the template tells. */
export interface KeyResolution {
  readonly keyKind: KeyKind;
  /** Logical ID of the `AWS::KMS::Key` (or `ReplicaKey`) in this template. */
  readonly keyRef?: string;
  /** The key as written, when it is a literal ARN, alias or key ID. */
  readonly keyArn?: string;
  /** Region of the key: from its ARN, else the stack (or replica) region. */
  readonly keyRegion?: string;
  /** Account of the key, when its ARN names one. */
  readonly keyAccount?: string;
  /** Automatic rotation on; AWS-managed keys rotate yearly; unknown for keys outside the template. */
  readonly rotation?: boolean;
  /** True for a multi-Region key (`MultiRegion`, a replica key, or an `mrk-` key ID). */
  readonly multiRegion?: boolean;
  /** How the key is written when it could not be followed (`Fn::ImportValue`, `Fn::If`, …). */
  readonly unresolved?: string;
  /**
   * The key is outside the audited templates (a key ARN or alias no audited
   * stack defines, an import no audited stack exports, a parameter without a
   * value): its kind, policy and rotation cannot be verified. Says how it is written.
   */
  readonly external?: string;
  /** The stack that defines the key, when another audited stack does. */
  readonly keyStack?: string;
}

/** One data store (or one part of it: a block device, a table replica) and its encryption. */
export interface StoreEncryption extends KeyResolution {
  readonly logicalId: string;
  readonly type: string;
  /** The part this entry describes (`BlockDeviceMappings[0] (/dev/xvda)`, `Replicas[1] (eu-north-1)`). */
  readonly component?: string;
  /** Region the data lives in. */
  readonly region?: string;
  /** One clause: what the template says, e.g. `SSEAlgorithm is AES256 (SSE-S3)`. */
  readonly setting: string;
  /**
   * The service offers no customer-managed key for this store: encrypted with
   * its own key is the most the template can prove, and meets the standard.
   */
  readonly serviceKeyOnly?: boolean;
}

type Reader = (resource: IndexedResource, keys: KeyResolver) => StoreEncryption[];

/** Data-store types the inventory knows, by reader. */
const READERS: Record<string, Reader> = {
  'AWS::S3::Bucket': readBucket,
  'AWS::DynamoDB::Table': readTable,
  'AWS::DynamoDB::GlobalTable': readGlobalTable,
  'AWS::SQS::Queue': readQueue,
  'AWS::SNS::Topic': readTopic,
  'AWS::EC2::Volume': readVolume,
  'AWS::EC2::Instance': readInstance,
  'AWS::EC2::LaunchTemplate': readLaunchTemplate,
  'AWS::EFS::FileSystem': readFileSystem,
  'AWS::RDS::DBInstance': readDbInstance,
  'AWS::RDS::DBCluster': readDbCluster,
  'AWS::Logs::LogGroup': readLogGroup,
  'AWS::Kinesis::Stream': readStream,
  'AWS::KinesisFirehose::DeliveryStream': readDeliveryStream,
  ...Object.fromEntries(Object.keys(STORE_SPECS).map((type) => [type, readSpecs])),
};

/** Every resource type the encryption inventory covers. */
export const DATA_STORE_TYPES: readonly string[] = Object.keys(READERS);

const INVENTORY = new WeakMap<TemplateIndex, Map<string, StoreEncryption[]>>();

/** The encryption inventory of a stack: every data store (part) with its key, in template order (cached). */
export function encryptionInventory(index: TemplateIndex): StoreEncryption[] {
  return [...inventoryById(index).values()].flat();
}

/** Inventory entries of one resource; empty for a resource that stores no data (or whose data is judged elsewhere). */
export function storesOf(index: TemplateIndex, logicalId: string): StoreEncryption[] {
  return inventoryById(index).get(logicalId) ?? [];
}

function inventoryById(index: TemplateIndex): Map<string, StoreEncryption[]> {
  let byId = INVENTORY.get(index);
  if (!byId) {
    const keys = new KeyResolver(index);
    byId = new Map();
    for (const resource of index.all()) {
      const reader = READERS[resource.type];
      if (reader) byId.set(resource.logicalId, reader(resource, keys));
    }
    INVENTORY.set(index, byId);
  }
  return byId;
}

/**
 * Why a store falls short of Clover's standard: encrypted with a
 * customer-managed KMS key of its own region and account. Undefined when it meets it.
 */
export function encryptionProblem(store: StoreEncryption, index: TemplateIndex): string | undefined {
  const where = store.component ? `${store.component}: ` : '';
  if (store.serviceKeyOnly && store.keyKind !== 'none') return undefined;
  if (store.keyKind !== 'customer-managed') return `${where}${store.setting}: ${KIND_LABEL[store.keyKind]}`;
  if (store.keyRegion && store.region && store.keyRegion !== store.region) {
    return `${where}${store.setting}: the key is in ${store.keyRegion} but the data is in ${store.region}`;
  }
  const account = index.context.account;
  if (store.keyAccount && account && store.keyAccount !== account) {
    return `${where}${store.setting}: the key belongs to account ${store.keyAccount}, not this enclave's account ${account}`;
  }
  return undefined;
}

/** Problems of every inventory entry of a resource (the encryption rules are this query). */
export function encryptionProblems(index: TemplateIndex, logicalId: string): string[] {
  return storesOf(index, logicalId).flatMap((store) => encryptionProblem(store, index) ?? []);
}

const KIND_LABEL: Record<KeyKind, string> = {
  'customer-managed': 'a customer-managed KMS key',
  'aws-managed': 'an AWS-managed key (alias/aws/…), whose key policy the account cannot restrict or revoke',
  'aws-owned': 'a key AWS owns, which the account can neither see, audit nor revoke',
  'sse-s3': 'S3-managed keys (SSE-S3), which the account can neither audit nor revoke',
  none: 'the data is not encrypted at rest',
};

// -------------------------------------------------------------------- keys

/** Follows key references (`Ref`/`GetAtt` to keys and aliases, literal ARNs and aliases) to the key. */
export class KeyResolver {
  /** @param home the stack whose stores are judged, when this resolver follows a key into another stack */
  constructor(
    public readonly index: TemplateIndex,
    private readonly home: TemplateIndex = index,
  ) {}

  /** The key a property names; `region` is where the data lives (for keys given by alias or ID). */
  public resolve(value: unknown, region = this.index.context.region, depth = 0): KeyResolution {
    const target = this.index.resolve(value);
    if (target && depth < 5) {
      if (target.type === 'AWS::KMS::Key') return this.templateKey(target);
      if (target.type === 'AWS::KMS::ReplicaKey') {
        return {
          keyKind: 'customer-managed',
          keyRef: target.logicalId,
          keyRegion: this.index.context.region,
          multiRegion: true,
          ...this.stackOf(),
        };
      }
      if (target.type === 'AWS::KMS::Alias')
        return this.resolve(target.properties.TargetKeyId, region, depth + 1);
    }
    const imported = importedValue(this.index, value);
    if (imported && depth < 5)
      return new KeyResolver(imported.index, this.index).resolve(imported.value, region, depth + 1);
    const text = renderString(value, renderContextOf(this.index));
    if (text === undefined || text.includes('${')) {
      const written = text ?? describeValue(value);
      const parameter =
        isObject(value) && typeof value.Ref === 'string' && this.index.template.Parameters?.[value.Ref]
          ? `parameter ${value.Ref} (its value is given at deploy time)`
          : undefined;
      return {
        keyKind: 'customer-managed',
        keyRegion: region,
        unresolved: written,
        external: parameter ?? written,
      };
    }
    return this.literalKey(text, region, depth);
  }

  /** The defining stack's name, for keys found in another audited stack. */
  private stackOf(): { keyStack?: string } {
    return this.home === this.index ? {} : { keyStack: this.index.context.stackName };
  }

  private templateKey(key: IndexedResource): KeyResolution {
    return {
      keyKind: 'customer-managed',
      keyRef: key.logicalId,
      keyRegion: this.index.context.region,
      rotation: isTrue(key.properties.EnableKeyRotation),
      multiRegion: isTrue(key.properties.MultiRegion),
      ...this.stackOf(),
    };
  }

  private literalKey(text: string, region: string | undefined, depth: number): KeyResolution {
    const arn = parseArn(text);
    const resource = arn ? arn.resource : text;
    const keyRegion = arn?.region || region;
    const keyAccount = arn?.account || undefined;
    if (resource.startsWith('alias/aws/')) {
      return {
        keyKind: 'aws-managed',
        keyArn: text,
        keyRegion,
        keyAccount,
        rotation: true,
        multiRegion: false,
      };
    }
    if (resource.startsWith('alias/') && depth < 5) {
      // An alias names the key of one account and region: this stack, or another audited stack there.
      for (const stack of [
        this.index,
        ...(this.index.peers?.indexes ?? []).filter((peer) => peer !== this.index),
      ]) {
        const account = keyAccount ?? this.index.context.account;
        const sameStack =
          keyRegion === stack.context.region &&
          (!account || !stack.context.account || account === stack.context.account);
        if (!sameStack) continue;
        const alias = stack
          .ofType('AWS::KMS::Alias')
          .find((a) => renderString(a.properties.AliasName, renderContextOf(stack)) === resource);
        if (alias)
          return new KeyResolver(stack, this.home).resolve(alias.properties.TargetKeyId, region, depth + 1);
      }
    }
    if (resource.startsWith('alias/')) {
      return { keyKind: 'customer-managed', keyArn: text, keyRegion, keyAccount, external: text };
    }
    const keyId = resource.startsWith('key/') ? resource.slice('key/'.length) : resource;
    return {
      keyKind: 'customer-managed',
      keyArn: text,
      keyRegion,
      keyAccount,
      multiRegion: keyId.startsWith('mrk-'),
      external: text,
    };
  }
}

// ----------------------------------------------------------------- readers

function store(
  resource: IndexedResource,
  keys: KeyResolver,
  fields: { setting: string; region?: string; component?: string },
  key: KeyResolution & { readonly serviceKeyOnly?: boolean },
): StoreEncryption {
  return {
    logicalId: resource.logicalId,
    type: resource.type,
    component: fields.component,
    region: fields.region ?? keys.index.context.region,
    setting: fields.setting,
    ...key,
  };
}

/** The KMS key a property names, or the service's AWS-managed key when the property is absent. */
function kmsOrManaged(keys: KeyResolver, value: unknown, region = keys.index.context.region): KeyResolution {
  return value === undefined || value === ''
    ? { keyKind: 'aws-managed', keyRegion: region, rotation: true }
    : keys.resolve(value, region);
}

function readBucket(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const rules = asArray(
    getPath(resource.properties, ['BucketEncryption', 'ServerSideEncryptionConfiguration']),
  );
  const defaults = rules.map((rule) => getPath(rule, ['ServerSideEncryptionByDefault'])).find(isObject);
  if (!defaults) {
    return [
      store(
        resource,
        keys,
        { setting: 'BucketEncryption is not declared, so S3 applies its default SSE-S3 (AES256)' },
        { keyKind: 'sse-s3' },
      ),
    ];
  }
  const algorithm = literalString(defaults.SSEAlgorithm) ?? describeValue(defaults.SSEAlgorithm);
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
    const key = defaults.KMSMasterKeyID;
    const setting =
      key === undefined
        ? `SSEAlgorithm is ${algorithm} without KMSMasterKeyID (alias/aws/s3)`
        : `SSEAlgorithm is ${algorithm} with KMSMasterKeyID`;
    return [store(resource, keys, { setting }, kmsOrManaged(keys, key))];
  }
  return [store(resource, keys, { setting: `SSEAlgorithm is ${algorithm} (SSE-S3)` }, { keyKind: 'sse-s3' })];
}

function readTable(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const sse = resource.properties.SSESpecification;
  if (!isObject(sse) || !isTrue(sse.SSEEnabled)) {
    return [
      store(
        resource,
        keys,
        { setting: 'SSESpecification.SSEEnabled is not true, so DynamoDB uses its AWS-owned key' },
        { keyKind: 'aws-owned' },
      ),
    ];
  }
  const setting =
    sse.KMSMasterKeyId === undefined
      ? 'SSESpecification.SSEEnabled is true without KMSMasterKeyId (alias/aws/dynamodb)'
      : 'SSESpecification names KMSMasterKeyId';
  return [store(resource, keys, { setting }, kmsOrManaged(keys, sse.KMSMasterKeyId))];
}

function readGlobalTable(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const enabled = isTrue(getPath(resource.properties, ['SSESpecification', 'SSEEnabled']));
  const stackRegion = keys.index.context.region;
  return asArray(resource.properties.Replicas).map((replica, i) => {
    const region = renderString(getPath(replica, ['Region']), renderContextOf(keys.index)) ?? stackRegion;
    const component = `Replicas[${i}] (${region ?? 'unknown region'})`;
    if (!enabled) {
      return store(
        resource,
        keys,
        {
          component,
          region,
          setting: 'SSESpecification.SSEEnabled is not true, so DynamoDB uses its AWS-owned key',
        },
        { keyKind: 'aws-owned' },
      );
    }
    const key = getPath(replica, ['SSESpecification', 'KMSMasterKeyId']);
    const setting =
      key === undefined
        ? 'no SSESpecification.KMSMasterKeyId (alias/aws/dynamodb)'
        : 'SSESpecification names KMSMasterKeyId';
    return store(resource, keys, { component, region, setting }, kmsOrManaged(keys, key, region));
  });
}

function readQueue(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const p = resource.properties;
  if (p.KmsMasterKeyId !== undefined) {
    return [store(resource, keys, { setting: 'KmsMasterKeyId is set' }, keys.resolve(p.KmsMasterKeyId))];
  }
  if (isFalse(p.SqsManagedSseEnabled)) {
    return [
      store(
        resource,
        keys,
        { setting: 'SqsManagedSseEnabled is false and no KmsMasterKeyId' },
        { keyKind: 'none' },
      ),
    ];
  }
  const setting = isTrue(p.SqsManagedSseEnabled)
    ? 'SqsManagedSseEnabled is true (SSE-SQS)'
    : 'no KmsMasterKeyId, so SQS applies its default SSE-SQS';
  return [store(resource, keys, { setting }, { keyKind: 'aws-owned' })];
}

function readTopic(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const key = resource.properties.KmsMasterKeyId;
  if (key === undefined)
    return [store(resource, keys, { setting: 'KmsMasterKeyId is not set' }, { keyKind: 'none' })];
  return [store(resource, keys, { setting: 'KmsMasterKeyId is set' }, keys.resolve(key))];
}

/** An EBS definition (`Encrypted` + `KmsKeyId`) as volumes and block device mappings write it. */
function ebs(
  resource: IndexedResource,
  keys: KeyResolver,
  settings: unknown,
  component?: string,
  managedAlias = 'alias/aws/ebs',
): StoreEncryption {
  const encrypted = getPath(settings, ['Encrypted']);
  const key = getPath(settings, ['KmsKeyId']);
  if (!isTrue(encrypted)) {
    const setting = encrypted === undefined ? 'Encrypted is not set' : 'Encrypted is false';
    return store(resource, keys, { component, setting }, { keyKind: 'none' });
  }
  const setting =
    key === undefined
      ? `Encrypted is true without KmsKeyId (${managedAlias})`
      : 'Encrypted is true with KmsKeyId';
  return store(resource, keys, { component, setting }, kmsOrManaged(keys, key));
}

function readVolume(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  return [ebs(resource, keys, resource.properties)];
}

/** Block device mappings; without any, the root volume follows the AMI (not declared encrypted). */
function blockDevices(
  resource: IndexedResource,
  keys: KeyResolver,
  mappings: unknown,
  prefix: string,
): StoreEncryption[] {
  const list = asArray(mappings);
  if (list.length === 0) {
    const setting = `${prefix}BlockDeviceMappings is not declared, so the root volume takes the AMI's encryption`;
    return [store(resource, keys, { component: 'root volume', setting }, { keyKind: 'none' })];
  }
  return list.flatMap((mapping, i) => {
    if (!isObject(mapping) || !isObject(mapping.Ebs)) return [];
    const device = literalString(mapping.DeviceName);
    return [
      ebs(resource, keys, mapping.Ebs, `${prefix}BlockDeviceMappings[${i}]${device ? ` (${device})` : ''}`),
    ];
  });
}

function readInstance(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const p = resource.properties;
  // Without mappings of its own, an instance launched from a launch template takes the template's volumes.
  if (p.BlockDeviceMappings === undefined && p.LaunchTemplate !== undefined) return [];
  return blockDevices(resource, keys, p.BlockDeviceMappings, '');
}

function readLaunchTemplate(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  return blockDevices(
    resource,
    keys,
    getPath(resource.properties, ['LaunchTemplateData', 'BlockDeviceMappings']),
    'LaunchTemplateData.',
  );
}

function readFileSystem(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  return [ebs(resource, keys, resource.properties, undefined, 'alias/aws/elasticfilesystem')];
}

function storageEncryption(
  resource: IndexedResource,
  keys: KeyResolver,
  alwaysEncrypted: boolean,
  managedAlias: string,
): StoreEncryption[] {
  const p = resource.properties;
  if (isTrue(p.StorageEncrypted) || (alwaysEncrypted && !isFalse(p.StorageEncrypted))) {
    const setting =
      p.KmsKeyId === undefined
        ? `storage is encrypted without KmsKeyId (${managedAlias})`
        : 'StorageEncrypted with KmsKeyId';
    return [store(resource, keys, { setting }, kmsOrManaged(keys, p.KmsKeyId))];
  }
  const setting =
    p.StorageEncrypted === undefined ? 'StorageEncrypted is not set' : 'StorageEncrypted is false';
  return [store(resource, keys, { setting }, { keyKind: 'none' })];
}

function readDbInstance(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const p = resource.properties;
  // Aurora instances store nothing themselves: the cluster is judged.
  if (p.DBClusterIdentifier !== undefined) return [];
  // A read replica inherits the source's encryption unless it names its own key.
  const replica = p.SourceDBInstanceIdentifier !== undefined || p.SourceDBClusterIdentifier !== undefined;
  if (replica && p.StorageEncrypted === undefined && p.KmsKeyId === undefined) return [];
  if (replica && p.KmsKeyId !== undefined) {
    return [store(resource, keys, { setting: 'read replica with KmsKeyId' }, keys.resolve(p.KmsKeyId))];
  }
  return storageEncryption(resource, keys, false, 'alias/aws/rds');
}

function readDbCluster(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  // Aurora Serverless v1 clusters are always encrypted.
  return storageEncryption(
    resource,
    keys,
    literalString(resource.properties.EngineMode) === 'serverless',
    'alias/aws/rds',
  );
}

function readLogGroup(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const key = resource.properties.KmsKeyId;
  if (key === undefined) {
    return [
      store(
        resource,
        keys,
        { setting: 'KmsKeyId is not set, so CloudWatch Logs uses its service-owned key' },
        { keyKind: 'aws-owned' },
      ),
    ];
  }
  return [store(resource, keys, { setting: 'KmsKeyId is set' }, keys.resolve(key))];
}

function readStream(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const encryption = resource.properties.StreamEncryption;
  if (!isObject(encryption) || literalString(encryption.EncryptionType) !== 'KMS') {
    return [
      store(
        resource,
        keys,
        { setting: 'StreamEncryption with EncryptionType KMS is not set' },
        { keyKind: 'none' },
      ),
    ];
  }
  return [
    store(
      resource,
      keys,
      { setting: 'StreamEncryption is KMS with KeyId' },
      kmsOrManaged(keys, encryption.KeyId),
    ),
  ];
}

function readDeliveryStream(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  const p = resource.properties;
  // A stream fed by Kinesis or MSK keeps no data of its own at rest: the source is judged.
  const source = literalString(p.DeliveryStreamType);
  if (source === 'KinesisStreamAsSource' || source === 'MSKAsSource') return [];
  const input = p.DeliveryStreamEncryptionConfigurationInput;
  const keyType = isObject(input) ? literalString(input.KeyType) : undefined;
  if (!isObject(input)) {
    return [
      store(
        resource,
        keys,
        { setting: 'DeliveryStreamEncryptionConfigurationInput is not set' },
        { keyKind: 'none' },
      ),
    ];
  }
  if (keyType === 'CUSTOMER_MANAGED_CMK') {
    return [
      store(
        resource,
        keys,
        { setting: 'KeyType is CUSTOMER_MANAGED_CMK with KeyARN' },
        keys.resolve(input.KeyARN),
      ),
    ];
  }
  return [
    store(
      resource,
      keys,
      { setting: `KeyType is ${keyType ?? describeValue(input.KeyType)}` },
      { keyKind: 'aws-owned' },
    ),
  ];
}

/** Every part of a table-driven store (lib/audit/coverage/at-rest.ts). */
function readSpecs(resource: IndexedResource, keys: KeyResolver): StoreEncryption[] {
  return (STORE_SPECS[resource.type] ?? []).flatMap((spec) => readSpec(resource, keys, spec));
}

function readSpec(resource: IndexedResource, keys: KeyResolver, spec: StoreSpec): StoreEncryption[] {
  const p = resource.properties;
  if (spec.whereRoot && String(valueAt(p, spec.whereRoot.property)) !== spec.whereRoot.equals) return [];
  if (spec.delegatedTo) {
    const named = p[spec.delegatedTo.property];
    if (named !== undefined && named !== '') return [];
    const setting = `${spec.delegatedTo.property} is not set, so no ${spec.delegatedTo.type} encrypts the ${spec.what ?? 'data'}`;
    return [store(resource, keys, { setting }, { keyKind: 'none' })];
  }
  const parts = spec.at ? objectsAt(p, spec.at) : [{ value: p as unknown, path: '' }];
  const targets =
    parts.length === 0 && (spec.whenAbsent ?? 'judge') === 'judge'
      ? [{ value: {} as unknown, path: spec.at! }]
      : parts;
  return targets.flatMap(({ value, path }) => {
    if (spec.onlyWhen && !isTrue(valueAt(value, spec.onlyWhen))) return [];
    const region = spec.regionAt
      ? renderString(valueAt(value, spec.regionAt), renderContextOf(keys.index))
      : undefined;
    const label = [path || undefined, spec.what && `(${spec.what})`, region && `in ${region}`]
      .filter(Boolean)
      .join(' ');
    const fields = { component: label || undefined, region };
    const prefix = '';
    if (spec.flag) {
      const flag = valueAt(value, spec.flag);
      const on = flag === undefined ? spec.flagDefault === true : isTrue(flag);
      if (!on) {
        const setting =
          flag === undefined
            ? `${prefix}${spec.flag} is not set (off by default)`
            : `${prefix}${spec.flag} is ${describeValue(flag)}`;
        return [store(resource, keys, { ...fields, setting }, { keyKind: 'none' })];
      }
    }
    if (spec.mode) {
      const raw = valueAt(value, spec.mode.property);
      const mode = raw === undefined ? spec.mode.default : raw;
      if (mode === undefined || typeof mode === 'object' || !spec.mode.kms.includes(String(mode))) {
        const setting =
          raw === undefined
            ? `${prefix}${spec.mode.property} is not set${mode === undefined ? '' : ` (default ${mode})`}`
            : `${prefix}${spec.mode.property} is ${describeValue(raw)}`;
        return [store(resource, keys, { ...fields, setting }, { keyKind: spec.mode.otherwise })];
      }
    }
    if (!spec.key) {
      const setting = spec.flag
        ? `${prefix}${spec.flag} is true (the service offers no customer-managed key)`
        : `${resource.type} stores ${spec.what ?? 'data'}`;
      return [
        store(
          resource,
          keys,
          { ...fields, setting },
          { keyKind: spec.withoutKey, serviceKeyOnly: spec.flag !== undefined },
        ),
      ];
    }
    const key = valueAt(value, spec.key);
    if (key === undefined || key === '') {
      return [
        store(
          resource,
          keys,
          { ...fields, setting: `${prefix}${spec.key} is not set` },
          { keyKind: spec.withoutKey },
        ),
      ];
    }
    if (typeof key === 'string' && spec.awsOwnedValues?.includes(key)) {
      return [
        store(
          resource,
          keys,
          { ...fields, setting: `${prefix}${spec.key} is ${key}` },
          { keyKind: 'aws-owned' },
        ),
      ];
    }
    return [
      store(
        resource,
        keys,
        { ...fields, setting: `${prefix}${spec.key} names a key` },
        keys.resolve(key, region),
      ),
    ];
  });
}

// ------------------------------------------------------- TLS-only buckets

/** What a bucket's policies deny to requests without TLS. */
export interface TlsCoverage {
  /** A `Deny` to `*` on `s3:*` when `aws:SecureTransport` is false covers the bucket ARN. */
  readonly bucket: boolean;
  /** … and covers its objects (`<bucket ARN>/*`). */
  readonly objects: boolean;
  /** Logical IDs of the bucket policies attached to the bucket. */
  readonly policies: readonly string[];
}

const PROBE_OBJECT = 'clover-probe/object-key';

/**
 * Whether the bucket's policies deny every S3 action, to every principal,
 * on the bucket and its objects, when the request does not use TLS.
 */
export function tlsOnlyCoverage(index: TemplateIndex, bucketId: string): TlsCoverage {
  const bucket = index.get(bucketId);
  const attached = bucketPolicyStatements(index, bucketId);
  const policies = [...new Set(attached.map(({ policy }) => policy.logicalId))];
  if (!bucket) return { bucket: false, objects: false, policies };
  // The bucket's name as written (a Fn::Sub expression renders with its placeholders), else its logical ID.
  const name = nameText(index, bucket) ?? `<${bucketId}>`;
  const base = renderContextOf(index);
  const context = {
    ...base,
    reference: (logicalId: string, attribute: string | undefined) => {
      if (logicalId === bucketId)
        return attribute === 'Arn' ? `arn:${partitionOf(index)}:s3:::${name}` : attribute ? undefined : name;
      return base.reference?.(logicalId, attribute);
    },
  };
  const arn = `arn:${partitionOf(index)}:s3:::${name}`;
  let coversBucket = false;
  let coversObjects = false;
  for (const { statement } of attached) {
    if (statement.effect !== 'Deny' || !isWildcardPrincipal(statement.principal)) continue;
    if (!statementCoversService(statement, 's3') || conditionEntries(statement).length !== 1) continue;
    const insecure = conditionValues(statement, ['Bool', 'BoolIfExists'], 'aws:SecureTransport');
    if (insecure.length === 0 || !insecure.every(isFalseValue)) continue;
    for (const resource of asArray(statement.resource)) {
      const pattern = renderString(resource, context);
      if (pattern === undefined) continue;
      if (wildcardMatch(pattern, arn)) coversBucket = true;
      if (wildcardMatch(pattern, `${arn}/${PROBE_OBJECT}`)) coversObjects = true;
    }
  }
  return { bucket: coversBucket, objects: coversObjects, policies };
}

function partitionOf(index: TemplateIndex): string {
  return renderString({ Ref: 'AWS::Partition' }, renderContextOf(index)) ?? 'aws';
}

// ------------------------------------------------------------ rule helpers

/** The outcome of a storage-encryption rule for one resource: a thin query on the inventory. */
export function encryptionOutcome({ resource, index }: RuleTarget): RuleOutcome {
  const stores = storesOf(index, resource.logicalId);
  if (stores.length === 0) return NOT_APPLICABLE;
  return violations(stores.flatMap((entry) => encryptionProblem(entry, index) ?? []));
}

/** One sentence per store part whose key is outside the audited templates (CLV-ENC-10, a warning). */
export function unverifiableKeys({ resource, index }: RuleTarget): RuleOutcome {
  const stores = storesOf(index, resource.logicalId);
  if (stores.length === 0) return NOT_APPLICABLE;
  return violations(
    stores
      .filter((entry) => entry.external !== undefined && entry.keyKind === 'customer-managed')
      .map(
        (entry) =>
          `${entry.component ? `${entry.component}: ` : ''}the key ${entry.external} is outside the audited templates, so whether it is a customer-managed key of this enclave (its key policy, rotation and region) cannot be verified`,
      ),
  );
}

/** Rotation state of a KMS key; `written` says how an `off` key is written. */
export type KeyRotationState =
  | { readonly state: 'on' }
  | { readonly state: 'unsupported' }
  | { readonly state: 'off'; readonly written: string };

/**
 * Automatic rotation of a KMS key: `on`, `off` (with how it is written), or
 * `unsupported` for keys KMS cannot rotate automatically (asymmetric, HMAC,
 * imported or custom-key-store material).
 */
export function keyRotation(key: IndexedResource): KeyRotationState {
  const p = key.properties;
  const spec = literalString(p.KeySpec) ?? 'SYMMETRIC_DEFAULT';
  const origin = literalString(p.Origin) ?? 'AWS_KMS';
  if (spec !== 'SYMMETRIC_DEFAULT' || origin !== 'AWS_KMS') return { state: 'unsupported' };
  if (isTrue(p.EnableKeyRotation)) return { state: 'on' };
  const written =
    p.EnableKeyRotation === undefined
      ? 'EnableKeyRotation is not set (KMS default: off)'
      : `EnableKeyRotation is ${JSON.stringify(p.EnableKeyRotation)}`;
  return { state: 'off', written };
}
