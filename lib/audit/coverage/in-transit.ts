/**
 * Settings that let a service accept or send data in clear, by resource type,
 * reviewed against the CloudFormation resource specification (the in-transit
 * candidates of lib/audit/coverage/registry-snapshot.json). Listeners,
 * distributions and file-transfer servers, whose rule is more than one
 * property, are judged by lib/audit/transit.ts and listed in
 * {@link TRANSIT_JUDGED_ELSEWHERE}.
 */

/** One property whose value (or default) may accept plaintext. */
export interface TransitSetting {
  /** Path of the object holding the property (`[]` steps into lists). @default the properties */
  readonly at?: string;
  /** When the object at `at` is absent: `skip` (feature unused) or `judge` (defaults apply). @default 'judge' */
  readonly whenAbsent?: 'skip' | 'judge';
  /** The property, relative to `at`. */
  readonly property: string;
  /** Values (lower-case text) that accept or send plaintext; a list property matches when any item does. */
  readonly plaintext: readonly string[];
  /** The value CloudFormation uses when the property is absent (lower-case text). */
  readonly default?: string;
  /** The setting applies only when this root property is one of these values (lower-case). */
  readonly onlyWhen?: { readonly property: string; readonly values: readonly string[] };
  /** What travels in clear, for messages: `client-broker traffic`. */
  readonly what: string;
  /** A value that refuses plaintext (what the fix sets), lower-case text. */
  readonly safe: string;
}

const DATABASE_ENGINES = [
  'mysql',
  'mariadb',
  'postgres',
  'aurora',
  'aurora-postgresql',
  'aurora-serverless',
  'aurora-postgresql-serverless',
  'oracle',
  'sqlserver',
  'babelfish',
  'db2',
  'db2-zos',
  'sybase',
  'mongodb',
  'docdb',
  'redis',
];

export const TRANSIT_SETTINGS: Readonly<Record<string, readonly TransitSetting[]>> = {
  'AWS::ElastiCache::ReplicationGroup': [
    {
      property: 'TransitEncryptionEnabled',
      plaintext: ['false'],
      default: 'false',
      what: 'client connections',
      safe: 'true',
    },
    {
      property: 'TransitEncryptionMode',
      plaintext: ['preferred'],
      what: 'client connections (unencrypted ones are still accepted)',
      safe: 'required',
    },
  ],
  'AWS::ElastiCache::CacheCluster': [
    {
      property: 'TransitEncryptionEnabled',
      plaintext: ['false'],
      default: 'false',
      what: 'client connections',
      safe: 'true',
    },
  ],
  'AWS::MemoryDB::Cluster': [
    {
      property: 'TLSEnabled',
      plaintext: ['false'],
      default: 'true',
      what: 'client connections',
      safe: 'true',
    },
  ],
  'AWS::MemoryDB::MultiRegionCluster': [
    {
      property: 'TLSEnabled',
      plaintext: ['false'],
      default: 'true',
      what: 'client connections',
      safe: 'true',
    },
  ],
  'AWS::DAX::Cluster': [
    {
      property: 'ClusterEndpointEncryptionType',
      plaintext: ['none'],
      default: 'none',
      what: 'client connections to the cluster endpoint',
      safe: 'tls',
    },
  ],
  'AWS::MSK::Cluster': [
    {
      at: 'EncryptionInfo.EncryptionInTransit',
      property: 'ClientBroker',
      plaintext: ['plaintext', 'tls_plaintext'],
      default: 'tls',
      what: 'client-broker traffic',
      safe: 'tls',
    },
    {
      at: 'EncryptionInfo.EncryptionInTransit',
      property: 'InCluster',
      plaintext: ['false'],
      default: 'true',
      what: 'traffic between brokers',
      safe: 'true',
    },
  ],
  'AWS::MSK::Replicator': [
    {
      at: 'KafkaClusters[]',
      property: 'EncryptionInTransit.EncryptionType',
      plaintext: ['plaintext'],
      what: 'replication traffic',
      safe: 'tls',
    },
  ],
  'AWS::KafkaConnect::Connector': [
    {
      property: 'KafkaClusterEncryptionInTransit.EncryptionType',
      plaintext: ['plaintext'],
      what: 'connector traffic to the Kafka cluster',
      safe: 'tls',
    },
  ],
  'AWS::OpenSearchService::Domain': [
    {
      property: 'NodeToNodeEncryptionOptions.Enabled',
      plaintext: ['false'],
      default: 'false',
      what: 'traffic between nodes',
      safe: 'true',
    },
    {
      property: 'DomainEndpointOptions.EnforceHTTPS',
      plaintext: ['false'],
      default: 'false',
      what: 'requests to the domain endpoint (plain HTTP accepted)',
      safe: 'true',
    },
  ],
  'AWS::Elasticsearch::Domain': [
    {
      property: 'NodeToNodeEncryptionOptions.Enabled',
      plaintext: ['false'],
      default: 'false',
      what: 'traffic between nodes',
      safe: 'true',
    },
    {
      property: 'DomainEndpointOptions.EnforceHTTPS',
      plaintext: ['false'],
      default: 'false',
      what: 'requests to the domain endpoint (plain HTTP accepted)',
      safe: 'true',
    },
  ],
  'AWS::AppSync::ApiCache': [
    {
      property: 'TransitEncryptionEnabled',
      plaintext: ['false'],
      default: 'false',
      what: 'traffic to the cache',
      safe: 'true',
    },
  ],
  'AWS::ECS::TaskDefinition': [
    {
      at: 'Volumes[].EFSVolumeConfiguration',
      whenAbsent: 'skip',
      property: 'TransitEncryption',
      plaintext: ['disabled'],
      default: 'disabled',
      what: 'NFS traffic to the EFS volume',
      safe: 'enabled',
    },
  ],
  'AWS::Batch::JobDefinition': [
    {
      at: 'ContainerProperties.Volumes[].EfsVolumeConfiguration',
      whenAbsent: 'skip',
      property: 'TransitEncryption',
      plaintext: ['disabled'],
      default: 'disabled',
      what: 'NFS traffic to the EFS volume',
      safe: 'enabled',
    },
    {
      at: 'EcsProperties.TaskProperties[].Volumes[].EfsVolumeConfiguration',
      whenAbsent: 'skip',
      property: 'TransitEncryption',
      plaintext: ['disabled'],
      default: 'disabled',
      what: 'NFS traffic to the EFS volume',
      safe: 'enabled',
    },
    {
      at: 'NodeProperties.NodeRangeProperties[].Container.Volumes[].EfsVolumeConfiguration',
      whenAbsent: 'skip',
      property: 'TransitEncryption',
      plaintext: ['disabled'],
      default: 'disabled',
      what: 'NFS traffic to the EFS volume',
      safe: 'enabled',
    },
  ],
  'AWS::DataSync::LocationEFS': [
    {
      property: 'InTransitEncryption',
      plaintext: ['none'],
      default: 'none',
      what: 'transfers to and from the file system',
      safe: 'tls1_2',
    },
  ],
  'AWS::DMS::Endpoint': [
    {
      property: 'SslMode',
      plaintext: ['none'],
      default: 'none',
      onlyWhen: { property: 'EngineName', values: DATABASE_ENGINES },
      what: 'the connection to the database',
      safe: 'verify-full',
    },
  ],
  'AWS::Chime::VoiceConnector': [
    { property: 'RequireEncryption', plaintext: ['false'], what: 'calls (SIP and media)', safe: 'true' },
  ],
  'AWS::SNS::Subscription': [
    {
      property: 'Protocol',
      plaintext: ['http'],
      what: 'notifications delivered to the endpoint',
      safe: 'https',
    },
  ],
  'AWS::Transfer::Server': [
    { property: 'Protocols', plaintext: ['ftp'], what: 'file transfers (FTP)', safe: 'sftp' },
  ],
  'AWS::ElasticLoadBalancing::LoadBalancer': [
    {
      at: 'Listeners[]',
      property: 'Protocol',
      plaintext: ['http'],
      what: 'requests to the listener',
      safe: 'https',
    },
  ],
};

/** Types whose plaintext paths lib/audit/transit.ts judges with more than one property, by what it reads. */
export const TRANSIT_JUDGED_ELSEWHERE: Readonly<Record<string, string>> = {
  'AWS::ElasticLoadBalancingV2::Listener':
    'Protocol HTTP with a DefaultActions entry other than a redirect to HTTPS or a fixed response',
  'AWS::ElasticLoadBalancingV2::ListenerRule': 'Actions forwarding requests that arrive on an HTTP listener',
  'AWS::RDS::DBParameterGroup':
    'Parameters rds.force_ssl 0 or require_secure_transport OFF/0 (explicit only: engine defaults differ)',
  'AWS::RDS::DBClusterParameterGroup':
    'Parameters rds.force_ssl 0 or require_secure_transport OFF/0 (explicit only: engine defaults differ)',
  'AWS::DocDB::DBClusterParameterGroup': 'Parameters tls disabled',
  'AWS::Redshift::ClusterParameterGroup': 'Parameters[] require_ssl false',
  'AWS::CloudFront::Distribution':
    'DistributionConfig.DefaultCacheBehavior/CacheBehaviors[].ViewerProtocolPolicy allow-all, Origins[].CustomOriginConfig.OriginProtocolPolicy http-only',
};

const JOB_TRAFFIC =
  'Traffic between the containers of one ML job, inside the job’s network; the data stays in judged buckets.';

/** In-transit candidates of the registry that CLV-ENC-9 does not judge, with the reason. */
export const TRANSIT_OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  'AWS::DMS::DataProvider':
    'Metadata of a schema-conversion data provider; migrations connect through AWS::DMS::Endpoint, which is judged.',
  'AWS::EC2::EC2Fleet':
    'RequireEncryptionInTransit selects instance types that support it; it decides nothing about traffic.',
  'AWS::EC2::SpotFleet':
    'RequireEncryptionInTransit selects instance types that support it; it decides nothing about traffic.',
  'AWS::EMRContainers::SecurityConfiguration':
    'EMR on EKS in-transit settings are certificates for Spark’s internal traffic, not an on/off switch a template can prove.',
  'AWS::MediaConnect::FlowOutput': 'Media stream protection of live video, not personal data.',
  'AWS::MediaConnect::RouterInput': 'Media stream protection of live video, not personal data.',
  'AWS::MediaConnect::RouterOutput': 'Media stream protection of live video, not personal data.',
  'AWS::SageMaker::DataQualityJobDefinition': JOB_TRAFFIC,
  'AWS::SageMaker::ModelBiasJobDefinition': JOB_TRAFFIC,
  'AWS::SageMaker::ModelExplainabilityJobDefinition': JOB_TRAFFIC,
  'AWS::SageMaker::ModelQualityJobDefinition': JOB_TRAFFIC,
  'AWS::SageMaker::MonitoringSchedule': JOB_TRAFFIC,
  'AWS::SageMaker::ProcessingJob': JOB_TRAFFIC,
};
