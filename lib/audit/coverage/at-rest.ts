/**
 * Encryption at rest of every data store CloverChecks judges, by resource
 * type: where the key is named, which flag or mode turns encryption on, and
 * whose key the service uses otherwise. Reviewed against the CloudFormation
 * resource specification (lib/audit/coverage/registry-snapshot.json lists the
 * candidates; a test fails when a registry type with a KMS key or encryption
 * property is neither here, nor read by a dedicated reader, nor listed out of
 * scope with a reason in ./out-of-scope.ts).
 */

/**
 * Who holds the key that encrypts a data store:
 * - `customer-managed`: a KMS key the account controls (key policy, rotation, deletion);
 * - `aws-managed`: the account's `alias/aws/<service>` key, whose policy nobody can narrow;
 * - `aws-owned`: a key the service owns and shares across accounts, invisible to the account;
 * - `sse-s3`: S3-managed keys (AES256);
 * - `none`: not encrypted at rest.
 */
export type KeyKind = 'customer-managed' | 'aws-managed' | 'aws-owned' | 'sse-s3' | 'none';

/** How one resource type (or one part of it) chooses its encryption at rest. */
export interface StoreSpec {
  /**
   * Path of the object holding the settings, relative to the properties; `[]`
   * steps into every item of a list (`BlockDeviceMappings[].Ebs`).
   * @default the resource's properties
   */
  readonly at?: string;
  /**
   * When the object at `at` is absent: `skip` (the feature that stores data is
   * not used) or `judge` (judged as empty, so the service's defaults apply).
   * @default 'judge'
   */
  readonly whenAbsent?: 'skip' | 'judge';
  /** Boolean property (relative to `at`) without which this part stores nothing (e.g. caching on). */
  readonly onlyWhen?: string;
  /** Property naming the KMS key (relative to `at`). Absent when the service offers no customer-managed key. */
  readonly key?: string;
  /** Boolean property that must be true for the data to be encrypted at all. */
  readonly flag?: string;
  /** The data is encrypted when `flag` is absent. @default false */
  readonly flagDefault?: boolean;
  /** A property choosing the kind of encryption; only the values in `kms` use `key`. */
  readonly mode?: {
    readonly property: string;
    readonly kms: readonly string[];
    /** Value CloudFormation uses when the property is absent. */
    readonly default?: string;
    /** Key kind of the other values. */
    readonly otherwise: KeyKind;
  };
  /** Whose key encrypts the data when it is encrypted but `key` names none. */
  readonly withoutKey: KeyKind;
  /** Values of `key` that mean the service's own key (`AWS_OWNED_KMS_KEY`). */
  readonly awsOwnedValues?: readonly string[];
  /** Property (relative to `at`) naming the region of this part (replicas). */
  readonly regionAt?: string;
  /** What this part stores, for messages (`root volume`, `query results`). */
  readonly what?: string;
  /** The entry applies only to resources whose root property has this value (`Type: encryption`). */
  readonly whereRoot?: { readonly property: string; readonly equals: string };
  /**
   * The encryption is chosen by another resource this property names: absent
   * means none is chosen (a finding); present, the named resource is judged instead.
   */
  readonly delegatedTo?: { readonly property: string; readonly type: string };
}

const AWS_OWNED_KMS_KEY = ['AWS_OWNED_KMS_KEY'];

/** One entry per data-store resource type judged by CLV-ENC-8 (the table-driven rule). */
export const STORE_SPECS: Readonly<Record<string, readonly StoreSpec[]>> = {
  // Databases, warehouses, document and graph databases
  'AWS::DocDB::DBCluster': [{ flag: 'StorageEncrypted', key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::DocDBElastic::Cluster': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::Neptune::DBCluster': [{ flag: 'StorageEncrypted', key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::NeptuneGraph::Graph': [{ key: 'KmsKeyIdentifier', withoutKey: 'aws-owned' }],
  'AWS::Redshift::Cluster': [
    { flag: 'Encrypted', flagDefault: true, key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  'AWS::RedshiftServerless::Namespace': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::Cassandra::Table': [
    {
      at: 'EncryptionSpecification',
      mode: {
        property: 'EncryptionType',
        kms: ['CUSTOMER_MANAGED_KMS_KEY'],
        default: 'AWS_OWNED_KMS_KEY',
        otherwise: 'aws-owned',
      },
      key: 'KmsKeyIdentifier',
      withoutKey: 'aws-owned',
    },
  ],
  'AWS::Timestream::Database': [{ key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::QLDB::Ledger': [{ key: 'KmsKey', withoutKey: 'aws-owned', awsOwnedValues: AWS_OWNED_KMS_KEY }],
  'AWS::DSQL::Cluster': [
    { key: 'KmsEncryptionKey', withoutKey: 'aws-owned', awsOwnedValues: AWS_OWNED_KMS_KEY },
  ],
  'AWS::EVS::Environment': [{ key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  // Caches
  'AWS::ElastiCache::ReplicationGroup': [
    { flag: 'AtRestEncryptionEnabled', key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  'AWS::ElastiCache::CacheCluster': [
    { withoutKey: 'none', what: 'cache nodes (a CacheCluster cannot encrypt at rest)' },
  ],
  'AWS::ElastiCache::ServerlessCache': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::ElastiCache::ServerlessCacheSnapshot': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::MemoryDB::Cluster': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::MemoryDB::Snapshot': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::DAX::Cluster': [{ at: 'SSESpecification', flag: 'SSEEnabled', withoutKey: 'aws-owned' }],
  'AWS::AppSync::ApiCache': [{ flag: 'AtRestEncryptionEnabled', withoutKey: 'aws-owned' }],
  'AWS::ApiGateway::Stage': [
    {
      at: 'MethodSettings[]',
      whenAbsent: 'skip',
      onlyWhen: 'CachingEnabled',
      flag: 'CacheDataEncrypted',
      withoutKey: 'aws-owned',
      what: 'cached responses',
    },
  ],
  'AWS::ApiGateway::Deployment': [
    {
      at: 'StageDescription.MethodSettings[]',
      whenAbsent: 'skip',
      onlyWhen: 'CachingEnabled',
      flag: 'CacheDataEncrypted',
      withoutKey: 'aws-owned',
      what: 'cached responses',
    },
    {
      at: 'StageDescription',
      whenAbsent: 'skip',
      onlyWhen: 'CachingEnabled',
      flag: 'CacheDataEncrypted',
      withoutKey: 'aws-owned',
      what: 'cached responses',
    },
  ],
  // Search domains and indexes
  'AWS::OpenSearchService::Domain': [
    { at: 'EncryptionAtRestOptions', flag: 'Enabled', key: 'KmsKeyId', withoutKey: 'aws-managed' },
  ],
  'AWS::Elasticsearch::Domain': [
    { at: 'EncryptionAtRestOptions', flag: 'Enabled', key: 'KmsKeyId', withoutKey: 'aws-managed' },
  ],
  'AWS::OpenSearchServerless::Collection': [
    { at: 'EncryptionConfig', whenAbsent: 'skip', key: 'KmsKeyArn', withoutKey: 'aws-owned' },
  ],
  'AWS::Kendra::Index': [
    { at: 'ServerSideEncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  'AWS::QBusiness::Application': [
    { at: 'EncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  'AWS::Wisdom::Assistant': [
    { at: 'ServerSideEncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  'AWS::Wisdom::KnowledgeBase': [
    { at: 'ServerSideEncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  // Streaming clusters, streams, buses and workflows
  'AWS::MSK::Cluster': [
    { at: 'EncryptionInfo.EncryptionAtRest', key: 'DataVolumeKMSKeyId', withoutKey: 'aws-managed' },
  ],
  'AWS::KinesisVideo::Stream': [{ key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::KinesisAnalyticsV2::Application': [
    {
      at: 'ApplicationConfiguration.ApplicationEncryptionConfiguration',
      mode: {
        property: 'KeyType',
        kms: ['CUSTOMER_MANAGED_KEY'],
        default: 'AWS_OWNED_KEY',
        otherwise: 'aws-owned',
      },
      key: 'KeyId',
      withoutKey: 'aws-owned',
      what: 'application state',
    },
  ],
  'AWS::AmazonMQ::Broker': [{ at: 'EncryptionOptions', key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::Events::EventBus': [{ key: 'KmsKeyIdentifier', withoutKey: 'aws-owned' }],
  'AWS::EventsV2::EventBus': [
    { at: 'EncryptionConfiguration', key: 'KmsKeyIdentifier', withoutKey: 'aws-owned' },
  ],
  'AWS::Events::Archive': [{ key: 'KmsKeyIdentifier', withoutKey: 'aws-owned' }],
  'AWS::Events::Connection': [
    { key: 'KmsKeyIdentifier', withoutKey: 'aws-managed', what: 'connection credentials' },
  ],
  'AWS::StepFunctions::StateMachine': [
    { at: 'EncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned', what: 'execution data' },
  ],
  'AWS::StepFunctions::Activity': [
    { at: 'EncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned', what: 'task data' },
  ],
  'AWS::IoT::EncryptionConfiguration': [
    {
      mode: {
        property: 'EncryptionType',
        kms: ['CUSTOMER_MANAGED_KMS_KEY'],
        default: 'AWS_OWNED_KMS_KEY',
        otherwise: 'aws-owned',
      },
      key: 'KmsKeyArn',
      withoutKey: 'aws-owned',
    },
  ],
  // Secrets
  'AWS::SecretsManager::Secret': [
    { key: 'KmsKeyId', withoutKey: 'aws-managed' },
    {
      at: 'ReplicaRegions[]',
      whenAbsent: 'skip',
      key: 'KmsKeyId',
      withoutKey: 'aws-managed',
      regionAt: 'Region',
    },
  ],
  // Backups, copies and replicated volumes
  'AWS::Backup::BackupVault': [{ key: 'EncryptionKeyArn', withoutKey: 'aws-managed' }],
  'AWS::Backup::LogicallyAirGappedBackupVault': [{ key: 'EncryptionKeyArn', withoutKey: 'aws-owned' }],
  'AWS::DLM::LifecyclePolicy': [
    {
      at: 'PolicyDetails.Schedules[].CrossRegionCopyRules[]',
      whenAbsent: 'skip',
      flag: 'Encrypted',
      key: 'CmkArn',
      withoutKey: 'aws-managed',
      what: 'snapshot copies',
    },
    {
      at: 'PolicyDetails.Actions[].CrossRegionCopy[].EncryptionConfiguration',
      whenAbsent: 'skip',
      flag: 'Encrypted',
      key: 'CmkArn',
      withoutKey: 'aws-managed',
      what: 'snapshot copies',
    },
  ],
  'AWS::DRS::ReplicationConfigurationTemplate': [
    {
      mode: { property: 'EbsEncryption', kms: ['CUSTOM'], otherwise: 'aws-managed' },
      key: 'EbsEncryptionKeyArn',
      withoutKey: 'aws-managed',
      what: 'replicated volumes',
    },
  ],
  'AWS::DMS::ReplicationInstance': [
    { key: 'KmsKeyId', withoutKey: 'aws-managed', what: 'replication storage' },
  ],
  'AWS::DMS::ReplicationConfig': [
    { at: 'ComputeConfig', key: 'KmsKeyId', withoutKey: 'aws-managed', what: 'replication storage' },
  ],
  // Notebooks, ML and analytics stores
  'AWS::SageMaker::NotebookInstance': [
    { key: 'KmsKeyId', withoutKey: 'aws-managed', what: 'notebook volume' },
  ],
  'AWS::SageMaker::Domain': [
    { key: 'KmsKeyId', withoutKey: 'aws-managed', what: 'Studio home directories (EFS)' },
  ],
  'AWS::SageMaker::EndpointConfig': [
    { key: 'KmsKeyId', withoutKey: 'aws-managed', what: 'endpoint storage volumes' },
    {
      at: 'DataCaptureConfig',
      whenAbsent: 'skip',
      key: 'KmsKeyId',
      withoutKey: 'sse-s3',
      what: 'captured requests',
    },
  ],
  'AWS::SageMaker::FeatureGroup': [
    {
      at: 'OnlineStoreConfig',
      whenAbsent: 'skip',
      key: 'SecurityConfig.KmsKeyId',
      withoutKey: 'aws-owned',
      what: 'online store',
    },
    {
      at: 'OfflineStoreConfig',
      whenAbsent: 'skip',
      key: 'S3StorageConfig.KmsKeyId',
      withoutKey: 'sse-s3',
      what: 'offline store',
    },
  ],
  'AWS::EMR::Studio': [
    { key: 'EncryptionKeyArn', withoutKey: 'sse-s3', what: 'workspaces and notebook files' },
  ],
  'AWS::Personalize::DatasetGroup': [{ key: 'KmsKeyArn', withoutKey: 'aws-owned' }],
  'AWS::Forecast::Dataset': [{ at: 'EncryptionConfig', key: 'KmsKeyArn', withoutKey: 'aws-owned' }],
  'AWS::Athena::WorkGroup': [
    {
      at: 'WorkGroupConfiguration.ResultConfiguration',
      whenAbsent: 'skip',
      mode: {
        property: 'EncryptionConfiguration.EncryptionOption',
        kms: ['SSE_KMS', 'CSE_KMS'],
        otherwise: 'sse-s3',
      },
      key: 'EncryptionConfiguration.KmsKey',
      withoutKey: 'aws-managed',
      what: 'query results',
    },
  ],
  'AWS::Glue::DataCatalogEncryptionSettings': [
    {
      at: 'DataCatalogEncryptionSettings.EncryptionAtRest',
      mode: {
        property: 'CatalogEncryptionMode',
        kms: ['SSE-KMS', 'SSE-KMS-WITH-SERVICE-ROLE'],
        default: 'DISABLED',
        otherwise: 'none',
      },
      key: 'SseAwsKmsKeyId',
      withoutKey: 'aws-managed',
      what: 'Data Catalog',
    },
  ],
  'AWS::Glue::SecurityConfiguration': [
    {
      at: 'EncryptionConfiguration.S3Encryptions[]',
      mode: { property: 'S3EncryptionMode', kms: ['SSE-KMS'], default: 'DISABLED', otherwise: 'none' },
      key: 'KmsKeyArn',
      withoutKey: 'aws-managed',
      what: 'S3 data written by jobs',
    },
    {
      at: 'EncryptionConfiguration.CloudWatchEncryption',
      mode: {
        property: 'CloudWatchEncryptionMode',
        kms: ['SSE-KMS'],
        default: 'DISABLED',
        otherwise: 'none',
      },
      key: 'KmsKeyArn',
      withoutKey: 'aws-managed',
      what: 'job logs',
    },
    {
      at: 'EncryptionConfiguration.JobBookmarksEncryption',
      mode: {
        property: 'JobBookmarksEncryptionMode',
        kms: ['CSE-KMS'],
        default: 'DISABLED',
        otherwise: 'none',
      },
      key: 'KmsKeyArn',
      withoutKey: 'aws-managed',
      what: 'job bookmarks',
    },
  ],
  'AWS::EMRContainers::SecurityConfiguration': [
    {
      at: 'SecurityConfigurationData.EncryptionConfiguration.AtRestEncryptionConfiguration.S3EncryptionConfiguration',
      mode: { property: 'EncryptionOption', kms: ['SSE-KMS', 'CSE-KMS'], otherwise: 'sse-s3' },
      key: 'KMSKeyId',
      withoutKey: 'aws-managed',
      what: 'S3 data',
    },
    {
      at: 'SecurityConfigurationData.EncryptionConfiguration.AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration',
      mode: { property: 'EncryptionKeyProviderType', kms: ['AwsKms'], otherwise: 'none' },
      key: 'AwsKmsKeyId',
      withoutKey: 'aws-managed',
      what: 'local disks',
    },
  ],
  // Health, genomics, identity and customer data
  'AWS::HealthLake::FHIRDatastore': [
    {
      at: 'SseConfiguration.KmsEncryptionConfig',
      mode: {
        property: 'CmkType',
        kms: ['CUSTOMER_MANAGED_KMS_KEY'],
        default: 'AWS_OWNED_KMS_KEY',
        otherwise: 'aws-owned',
      },
      key: 'KmsKeyId',
      withoutKey: 'aws-owned',
    },
  ],
  'AWS::HealthImaging::Datastore': [{ key: 'KmsKeyArn', withoutKey: 'aws-owned' }],
  'AWS::Omics::AnnotationStore': [{ at: 'SseConfig', key: 'KeyArn', withoutKey: 'aws-owned' }],
  'AWS::Omics::ReferenceStore': [{ at: 'SseConfig', key: 'KeyArn', withoutKey: 'aws-owned' }],
  'AWS::Omics::SequenceStore': [{ at: 'SseConfig', key: 'KeyArn', withoutKey: 'aws-owned' }],
  'AWS::Omics::VariantStore': [{ at: 'SseConfig', key: 'KeyArn', withoutKey: 'aws-owned' }],
  'AWS::VoiceID::Domain': [
    { at: 'ServerSideEncryptionConfiguration', key: 'KmsKeyId', withoutKey: 'aws-owned' },
  ],
  'AWS::CustomerProfiles::Domain': [{ key: 'DefaultEncryptionKey', withoutKey: 'aws-owned' }],
  'AWS::Location::Tracker': [{ key: 'KmsKeyId', withoutKey: 'aws-owned', what: 'device positions' }],
  'AWS::Location::GeofenceCollection': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::BedrockAgentCore::Memory': [
    { key: 'EncryptionKeyArn', withoutKey: 'aws-owned', what: 'agent memory' },
  ],
  'AWS::Bedrock::Session': [{ key: 'EncryptionKeyArn', withoutKey: 'aws-owned', what: 'session history' }],
  'AWS::SES::MailManagerArchive': [{ key: 'KmsKeyArn', withoutKey: 'aws-owned', what: 'archived e-mail' }],
  'AWS::Connect::InstanceStorageConfig': [
    {
      at: 'S3Config',
      whenAbsent: 'skip',
      mode: { property: 'EncryptionConfig.EncryptionType', kms: ['KMS'], otherwise: 'sse-s3' },
      key: 'EncryptionConfig.KeyId',
      withoutKey: 'sse-s3',
      what: 'recordings and transcripts',
    },
    {
      at: 'KinesisVideoStreamConfig',
      whenAbsent: 'skip',
      mode: { property: 'EncryptionConfig.EncryptionType', kms: ['KMS'], otherwise: 'aws-managed' },
      key: 'EncryptionConfig.KeyId',
      withoutKey: 'aws-managed',
      what: 'media streams',
    },
  ],
  'AWS::SSMIncidents::ReplicationSet': [
    {
      at: 'Regions[]',
      key: 'RegionConfiguration.SseKmsKeyId',
      withoutKey: 'aws-owned',
      regionAt: 'RegionName',
      what: 'incident records',
    },
  ],
  // File systems, volumes and object stores
  'AWS::FSx::FileSystem': [{ key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::FSx::FileCache': [{ key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::S3Files::FileSystem': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
  'AWS::StorageGateway::Volume': [
    { flag: 'KMSEncrypted', flagDefault: true, key: 'KMSKey', withoutKey: 'sse-s3' },
  ],
  'AWS::StorageGateway::Tape': [
    { flag: 'KMSEncrypted', flagDefault: true, key: 'KMSKey', withoutKey: 'sse-s3' },
  ],
  'AWS::WorkspacesInstances::Volume': [{ flag: 'Encrypted', key: 'KmsKeyId', withoutKey: 'aws-managed' }],
  'AWS::WorkspacesInstances::WorkspaceInstance': [
    {
      at: 'ManagedInstance.BlockDeviceMappings[].Ebs',
      whenAbsent: 'skip',
      flag: 'Encrypted',
      key: 'KmsKeyId',
      withoutKey: 'aws-managed',
    },
  ],
  'AWS::WorkSpaces::Workspace': [
    {
      flag: 'RootVolumeEncryptionEnabled',
      key: 'VolumeEncryptionKey',
      withoutKey: 'aws-managed',
      what: 'root volume',
    },
    {
      flag: 'UserVolumeEncryptionEnabled',
      key: 'VolumeEncryptionKey',
      withoutKey: 'aws-managed',
      what: 'user volume',
    },
  ],
  'AWS::AutoScaling::LaunchConfiguration': [
    {
      at: 'BlockDeviceMappings[].Ebs',
      flag: 'Encrypted',
      withoutKey: 'aws-managed',
      what: 'EBS volume (no KmsKeyId: alias/aws/ebs or the account default)',
    },
  ],
  'AWS::EC2::SpotFleet': [
    {
      at: 'SpotFleetRequestConfigData.LaunchSpecifications[].BlockDeviceMappings[].Ebs',
      whenAbsent: 'skip',
      flag: 'Encrypted',
      withoutKey: 'aws-managed',
      what: 'EBS volume (no KmsKeyId: alias/aws/ebs or the account default)',
    },
  ],
  'AWS::ECS::Service': [
    {
      at: 'VolumeConfigurations[].ManagedEBSVolume',
      whenAbsent: 'skip',
      flag: 'Encrypted',
      key: 'KmsKeyId',
      withoutKey: 'aws-managed',
      what: 'task volume',
    },
  ],
  'AWS::EKS::Cluster': [
    {
      at: 'EncryptionConfig[]',
      key: 'Provider.KeyArn',
      withoutKey: 'aws-owned',
      what: 'Kubernetes secrets',
    },
  ],
  'AWS::S3Express::DirectoryBucket': [
    {
      at: 'BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault',
      mode: { property: 'SSEAlgorithm', kms: ['aws:kms'], default: 'AES256', otherwise: 'sse-s3' },
      key: 'KMSMasterKeyID',
      withoutKey: 'aws-managed',
    },
  ],
  'AWS::S3Tables::TableBucket': [
    {
      at: 'EncryptionConfiguration',
      mode: { property: 'SSEAlgorithm', kms: ['aws:kms'], default: 'AES256', otherwise: 'sse-s3' },
      key: 'KMSKeyArn',
      withoutKey: 'aws-managed',
    },
  ],
  'AWS::S3Vectors::VectorBucket': [
    {
      at: 'EncryptionConfiguration',
      mode: { property: 'SseType', kms: ['aws:kms'], default: 'AES256', otherwise: 'sse-s3' },
      key: 'KmsKeyArn',
      withoutKey: 'aws-managed',
    },
  ],
  'AWS::EMR::Cluster': [
    {
      delegatedTo: { property: 'SecurityConfiguration', type: 'AWS::EMR::SecurityConfiguration' },
      withoutKey: 'none',
      what: 'local disks and EMRFS data',
    },
  ],
  'AWS::EMR::SecurityConfiguration': [
    {
      at: 'SecurityConfiguration.EncryptionConfiguration',
      flag: 'EnableAtRestEncryption',
      mode: {
        property: 'AtRestEncryptionConfiguration.S3EncryptionConfiguration.EncryptionMode',
        kms: ['SSE-KMS', 'CSE-KMS'],
        otherwise: 'sse-s3',
      },
      key: 'AtRestEncryptionConfiguration.S3EncryptionConfiguration.AwsKmsKey',
      withoutKey: 'aws-managed',
      what: 'EMRFS data in S3',
    },
    {
      at: 'SecurityConfiguration.EncryptionConfiguration',
      flag: 'EnableAtRestEncryption',
      mode: {
        property: 'AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration.EncryptionKeyProviderType',
        kms: ['AwsKms'],
        otherwise: 'none',
      },
      key: 'AtRestEncryptionConfiguration.LocalDiskEncryptionConfiguration.AwsKmsKey',
      withoutKey: 'none',
      what: 'local disks',
    },
  ],
  'AWS::OpenSearchServerless::SecurityPolicy': [
    {
      whereRoot: { property: 'Type', equals: 'encryption' },
      at: 'Policy',
      mode: { property: 'AWSOwnedKey', kms: ['false'], default: 'false', otherwise: 'aws-owned' },
      key: 'KmsARN',
      withoutKey: 'aws-owned',
      what: 'collections the policy matches',
    },
  ],
  // Trails and audit stores
  'AWS::CloudTrail::Trail': [{ key: 'KMSKeyId', withoutKey: 'sse-s3', what: 'log files' }],
  'AWS::CloudTrail::EventDataStore': [{ key: 'KmsKeyId', withoutKey: 'aws-owned' }],
};

/**
 * Types whose encryption a dedicated reader in lib/audit/encryption.ts judges
 * (rules CLV-ENC-1 to -5), with the property each reads: the same standard,
 * with service-specific defaults (S3's SSE algorithm, SQS-managed SSE, …).
 */
export const DEDICATED_STORES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket':
    'BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.KMSMasterKeyID',
  'AWS::DynamoDB::Table': 'SSESpecification.KMSMasterKeyId',
  'AWS::DynamoDB::GlobalTable': 'Replicas[].SSESpecification.KMSMasterKeyId',
  'AWS::SQS::Queue': 'KmsMasterKeyId',
  'AWS::SNS::Topic': 'KmsMasterKeyId',
  'AWS::EC2::Volume': 'KmsKeyId',
  'AWS::EC2::Instance': 'BlockDeviceMappings[].Ebs.KmsKeyId',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateData.BlockDeviceMappings[].Ebs.KmsKeyId',
  'AWS::EFS::FileSystem': 'KmsKeyId',
  'AWS::RDS::DBInstance': 'KmsKeyId',
  'AWS::RDS::DBCluster': 'KmsKeyId',
  'AWS::Logs::LogGroup': 'KmsKeyId',
  'AWS::Kinesis::Stream': 'StreamEncryption.KeyId',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamEncryptionConfigurationInput.KeyARN',
};
