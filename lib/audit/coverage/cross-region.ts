/**
 * Cross-region features: properties that copy or replicate data into another
 * region, and resource types that are multi-region or served from edge
 * locations by nature. CLV-RES-7 and CLV-RES-8 judge them; CLV-RES-3 to -6
 * keep DynamoDB replicas, S3 replication, multi-Region keys and stack sets.
 * Paths are dotted, with `[]` stepping into every item of a list.
 */

/** A property naming the region (or an ARN, whose region counts) that data is copied to. */
export interface RegionTarget {
  readonly path: string;
  /** `region`: a region code; `arn`: an ARN (or a region code). */
  readonly kind: 'region' | 'arn';
  /** What goes there, for messages. */
  readonly what: string;
}

/** Properties of CLV-RES-7: where replicas, copies and peers of the data go. */
export const CROSS_REGION_TARGETS: Readonly<Record<string, readonly RegionTarget[]>> = {
  'AWS::SecretsManager::Secret': [
    { path: 'ReplicaRegions[].Region', kind: 'region', what: 'a replica of the secret' },
  ],
  'AWS::ECR::ReplicationConfiguration': [
    {
      path: 'ReplicationConfiguration.Rules[].Destinations[].Region',
      kind: 'region',
      what: 'replicated images',
    },
  ],
  'AWS::Backup::BackupPlan': [
    {
      path: 'BackupPlan.BackupPlanRule[].CopyActions[].DestinationBackupVaultArn',
      kind: 'arn',
      what: 'copies of every backup',
    },
  ],
  'AWS::DLM::LifecyclePolicy': [
    { path: 'PolicyDetails.Schedules[].CrossRegionCopyRules[].Target', kind: 'arn', what: 'snapshot copies' },
    {
      path: 'PolicyDetails.Schedules[].CrossRegionCopyRules[].TargetRegion',
      kind: 'arn',
      what: 'snapshot copies',
    },
    { path: 'PolicyDetails.Actions[].CrossRegionCopy[].Target', kind: 'region', what: 'snapshot copies' },
  ],
  'AWS::EFS::FileSystem': [
    { path: 'ReplicationConfiguration.Destinations[].Region', kind: 'region', what: 'a replica file system' },
  ],
  'AWS::ElastiCache::GlobalReplicationGroup': [
    { path: 'Members[].ReplicationGroupRegion', kind: 'region', what: 'a member of the global datastore' },
  ],
  'AWS::DSQL::Cluster': [
    {
      path: 'MultiRegionProperties.WitnessRegion',
      kind: 'region',
      what: 'the witness of the multi-Region cluster',
    },
    { path: 'MultiRegionProperties.Clusters[]', kind: 'arn', what: 'a peer cluster' },
  ],
  'AWS::DynamoDB::GlobalTable': [
    { path: 'GlobalTableWitnesses[].Region', kind: 'region', what: 'the witness of the global table' },
  ],
  'AWS::RedshiftServerless::Namespace': [
    { path: 'SnapshotCopyConfigurations[].DestinationRegion', kind: 'region', what: 'snapshot copies' },
  ],
  'AWS::SSMIncidents::ReplicationSet': [
    { path: 'Regions[].RegionName', kind: 'region', what: 'a replica of incident records' },
  ],
  'AWS::Events::Endpoint': [
    { path: 'RoutingConfig.FailoverConfig.Secondary.Route', kind: 'region', what: 'events failed over' },
    { path: 'EventBuses[].EventBusArn', kind: 'arn', what: 'events' },
  ],
};

/**
 * Types that replicate data to regions the template does not show (CLV-RES-7):
 * their members or buckets live elsewhere, so residency cannot be proven.
 */
export const MULTI_REGION_TYPES: Readonly<Record<string, string>> = {
  'AWS::RDS::GlobalCluster': 'an Aurora global database replicates to secondary clusters in other regions',
  'AWS::DocDB::GlobalCluster':
    'a DocumentDB global cluster replicates to secondary clusters in other regions',
  'AWS::Neptune::GlobalCluster':
    'a Neptune global database replicates to secondary clusters in other regions',
  'AWS::MemoryDB::MultiRegionCluster':
    'a MemoryDB multi-Region cluster replicates to member clusters in other regions',
  'AWS::S3::MultiRegionAccessPoint':
    'a Multi-Region Access Point routes requests to buckets in several regions',
};

/** Types served from edge locations worldwide (CLV-RES-8), with when they are. */
export const EDGE_SERVICES: Readonly<Record<string, string>> = {
  'AWS::CloudFront::Distribution':
    'always: CloudFront caches and serves from edge locations worldwide (no price class keeps it in Europe)',
  'AWS::GlobalAccelerator::Accelerator': 'always: traffic enters at AWS edge locations worldwide',
  'AWS::Lightsail::Distribution': 'always: a Lightsail distribution is a CloudFront distribution',
  'AWS::Amplify::App': 'always: Amplify Hosting serves through CloudFront',
  'AWS::ApiGateway::RestApi':
    'EndpointConfiguration.Types EDGE (the default when absent): requests go through CloudFront',
  'AWS::ApiGateway::DomainName':
    'EndpointConfiguration.Types EDGE (the default when absent): requests go through CloudFront',
  'AWS::S3::Bucket':
    'AccelerateConfiguration.AccelerationStatus Enabled: Transfer Acceleration takes uploads and downloads at edge locations',
  'AWS::Cognito::UserPoolDomain':
    'CustomDomainConfig set: the custom sign-in domain is served through CloudFront',
};
