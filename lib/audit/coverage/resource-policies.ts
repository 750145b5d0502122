/**
 * Where each resource type keeps a resource-based policy (or a role's trust
 * policy), reviewed against the policy properties of the CloudFormation
 * resource specification (lib/audit/coverage/registry-snapshot.json). CLV-ACC-2
 * reads every statement of these documents; a test fails when a registry
 * policy property is neither here nor in {@link POLICY_OUT_OF_SCOPE}.
 * Paths are dotted, with `[]` stepping into every item of a list.
 */
export const RESOURCE_POLICY_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::APS::ResourcePolicy': ['PolicyDocument'],
  'AWS::ApiGateway::DomainNameV2': ['Policy'],
  'AWS::ApiGateway::RestApi': ['Policy'],
  'AWS::Backup::BackupVault': ['AccessPolicy'],
  'AWS::Backup::LogicallyAirGappedBackupVault': ['AccessPolicy'],
  'AWS::Bedrock::KnowledgeBasePolicy': ['PolicyDocument'],
  'AWS::Bedrock::ResourcePolicy': ['PolicyDocument'],
  'AWS::CloudTrail::ResourcePolicy': ['ResourcePolicy'],
  'AWS::CodeArtifact::Domain': ['PermissionsPolicyDocument'],
  'AWS::CodeArtifact::Repository': ['PermissionsPolicyDocument'],
  'AWS::DSQL::Cluster': ['PolicyDocument'],
  'AWS::DynamoDB::GlobalTable': [
    'Replicas[].ResourcePolicy.PolicyDocument',
    'Replicas[].ReplicaStreamSpecification.ResourcePolicy.PolicyDocument',
  ],
  'AWS::DynamoDB::Table': [
    'ResourcePolicy.PolicyDocument',
    'StreamSpecification.ResourcePolicy.PolicyDocument',
  ],
  'AWS::ECR::PublicRepository': ['RepositoryPolicyText'],
  'AWS::ECR::RegistryPolicy': ['PolicyText'],
  'AWS::ECR::Repository': ['RepositoryPolicyText'],
  'AWS::EFS::FileSystem': ['FileSystemPolicy'],
  'AWS::Elasticsearch::Domain': ['AccessPolicies'],
  'AWS::EventSchemas::RegistryPolicy': ['Policy'],
  'AWS::Events::EventBus': ['Policy'],
  'AWS::EventsV2::ResourcePolicy': ['PolicyDocument'],
  'AWS::FSx::S3AccessPointAttachment': ['S3AccessPoint.Policy'],
  'AWS::IAM::Role': ['AssumeRolePolicyDocument'],
  'AWS::KMS::Key': ['KeyPolicy'],
  'AWS::KMS::ReplicaKey': ['KeyPolicy'],
  'AWS::Kinesis::ResourcePolicy': ['ResourcePolicy'],
  'AWS::Lambda::ResourcePolicy': ['PolicyDocument'],
  'AWS::Lex::ResourcePolicy': ['Policy'],
  'AWS::Logs::DeliveryDestination': ['DeliveryDestinationPolicy.DeliveryDestinationPolicy'],
  'AWS::Logs::Destination': ['DestinationPolicy'],
  'AWS::Logs::LogGroup': ['ResourcePolicyDocument'],
  'AWS::Logs::ResourcePolicy': ['PolicyDocument'],
  'AWS::MSK::ClusterPolicy': ['Policy'],
  'AWS::MediaPackageV2::ChannelPolicy': ['Policy'],
  'AWS::MediaPackageV2::OriginEndpointPolicy': ['Policy'],
  'AWS::MediaStore::Container': ['Policy'],
  'AWS::MediaTailor::ChannelPolicy': ['Policy'],
  'AWS::OSIS::Pipeline': ['ResourcePolicy.Policy'],
  'AWS::Oam::Sink': ['Policy'],
  'AWS::Omics::SequenceStore': ['S3AccessPolicy'],
  'AWS::OpenSearchService::Domain': ['AccessPolicies'],
  'AWS::RUM::AppMonitor': ['ResourcePolicy.PolicyDocument'],
  'AWS::Redshift::Cluster': ['NamespaceResourcePolicy'],
  'AWS::RedshiftServerless::Namespace': ['NamespaceResourcePolicy'],
  'AWS::S3::AccessPoint': ['Policy'],
  'AWS::S3::BucketPolicy': ['PolicyDocument'],
  'AWS::S3::MultiRegionAccessPointPolicy': ['Policy'],
  'AWS::S3Express::AccessPoint': ['Policy'],
  'AWS::S3Express::BucketPolicy': ['PolicyDocument'],
  'AWS::S3Files::FileSystemPolicy': ['Policy'],
  'AWS::S3ObjectLambda::AccessPointPolicy': ['PolicyDocument'],
  'AWS::S3Outposts::AccessPoint': ['Policy'],
  'AWS::S3Outposts::BucketPolicy': ['PolicyDocument'],
  'AWS::S3Tables::TableBucketPolicy': ['ResourcePolicy'],
  'AWS::S3Tables::TablePolicy': ['ResourcePolicy'],
  'AWS::S3Vectors::VectorBucketPolicy': ['Policy'],
  'AWS::SMSVOICE::ResourcePolicy': ['PolicyDocument'],
  'AWS::SNS::TopicInlinePolicy': ['PolicyDocument'],
  'AWS::SNS::TopicPolicy': ['PolicyDocument'],
  'AWS::SQS::QueueInlinePolicy': ['PolicyDocument'],
  'AWS::SQS::QueuePolicy': ['PolicyDocument'],
  'AWS::SSM::ResourcePolicy': ['Policy'],
  'AWS::SageMaker::ModelPackageGroup': ['ModelPackageGroupPolicy'],
  'AWS::SecretsManager::ResourcePolicy': ['ResourcePolicy'],
  'AWS::VpcLattice::AuthPolicy': ['Policy'],
  'AWS::VpcLattice::ResourcePolicy': ['Policy'],
  'AWS::XRay::ResourcePolicy': ['PolicyDocument'],
};

const IDENTITY =
  'An identity-based policy (what a user, group, role or permission set may do): it names no principal, so it cannot open a resource to others.';
const NOT_ACCESS = 'Not an access policy: it filters, routes, retries, masks or archives messages and data.';
const ENDPOINT =
  'A VPC endpoint policy limits what may be reached through the endpoint; it never grants access by itself, and Principal "*" is its normal form.';

/**
 * Registry policy properties CLV-ACC-2 does not read, with the reason. A key
 * is a type (every candidate property of it) or `Type.Property` (one of them).
 */
export const POLICY_OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  'AWS::Config::ConfigRule':
    'The policy text is a Guard rule that evaluates resources, not an access policy.',
  'AWS::Config::OrganizationConfigRule':
    'The policy text is a Guard rule that evaluates resources, not an access policy.',
  'AWS::EC2::VPCEndpoint': ENDPOINT,
  'AWS::ODB::OdbNetwork': ENDPOINT,
  'AWS::EC2::VerifiedAccessEndpoint':
    'A Cedar policy of Verified Access that narrows which users reach an application; it grants no AWS access.',
  'AWS::EC2::VerifiedAccessGroup':
    'A Cedar policy of Verified Access that narrows which users reach an application; it grants no AWS access.',
  'AWS::ECR::Repository.LifecyclePolicy.LifecyclePolicyText':
    'An image lifecycle (expiry) policy, not an access policy.',
  'AWS::IAM::Group': IDENTITY,
  'AWS::IAM::GroupPolicy': IDENTITY,
  'AWS::IAM::ManagedPolicy': IDENTITY,
  'AWS::IAM::Policy': IDENTITY,
  'AWS::IAM::Role.Policies[].PolicyDocument': IDENTITY,
  'AWS::IAM::RolePolicy': IDENTITY,
  'AWS::IAM::User': IDENTITY,
  'AWS::IAM::UserPolicy': IDENTITY,
  'AWS::IoT::Policy': IDENTITY,
  'AWS::SSO::PermissionSet': IDENTITY,
  'AWS::Logs::AccountPolicy': NOT_ACCESS,
  'AWS::Logs::LogGroup.DataProtectionPolicy': NOT_ACCESS,
  'AWS::NetworkManager::CoreNetwork':
    'A Cloud WAN network policy (segments and routes), not an access policy; attachments to an enclave VPC are judged by CLV-NET-6.',
  'AWS::RAM::Permission':
    'A permission template without principals; who receives it is decided by an AWS::RAM::ResourceShare.',
  'AWS::SNS::Subscription': NOT_ACCESS,
  'AWS::SNS::Topic': NOT_ACCESS,
  'AWS::SQS::Queue': NOT_ACCESS,
  'AWS::Serverless::Function':
    'An AWS SAM resource: the SAM transform is expanded first (lib/audit/transforms/sam) and the permissions and policies it creates are judged.',
};
