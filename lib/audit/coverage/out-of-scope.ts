/**
 * Registry types that carry a KMS key, encryption, in-transit or policy
 * property but that CloverChecks consciously does not judge for it, each with
 * the reason. Reviewed against lib/audit/coverage/registry-snapshot.json; a
 * test fails when a registry candidate is neither judged nor listed here.
 */

const CONFIGURATION =
  'The key encrypts the resource’s own definition (configuration, prompts, rules, credentials to a source), not stored user data.';
const BUILD_ARTIFACTS =
  'Build and delivery artifacts (source code, packages, images, build outputs): no personal data is meant to be stored there.';
const JOB_OUTPUT =
  'A job, workflow or action definition: its output lands in a bucket, stream or store that is judged as a resource of its own; scratch volumes live only while the job runs.';
const ML_ARTIFACTS =
  'Machine-learning models, training and inference job definitions: model artifacts and job volumes, judged through the buckets they write to.';
const GLOBAL_CLUSTER =
  'A global cluster stores nothing itself: storage and keys belong to its member clusters (judged there); the cross-region replication it implies is judged by CLV-RES-7.';
const MEDIA_TRANSPORT = 'Media stream protection (DRM, transport keys) of live video, not data at rest.';
const KEY_OBJECT =
  'The resource is a key or a pointer to one (its own policy, rotation and residency are judged on AWS::KMS::Key).';
const NETWORK_ENCRYPTION = 'Network-level encryption controls (in transit), not storage.';
const SAM =
  'An AWS SAM resource: clover audit expands the SAM transform first (lib/audit/transforms/sam), and the CloudFormation resources it becomes are judged.';
const DISCONTINUED = 'The service is discontinued or closed to new customers.';
const SCRATCH =
  'Scratch storage of running tasks (Fargate ephemeral storage, ECS Exec sessions) that lives only as long as the task.';
const INHERITS = 'Inherits the key of the store it belongs to, which is judged.';
const METRICS = 'Operational telemetry (metrics, anomaly models, resource inventories), not personal data.';

/** Registry types with KMS key or at-rest encryption properties that CLV-ENC does not judge, with the reason. */
export const AT_REST_OUT_OF_SCOPE: Readonly<Record<string, string>> = {
  'AWS::AIOps::InvestigationGroup': METRICS,
  'AWS::APS::Workspace': METRICS,
  'AWS::AppConfig::ConfigurationProfile': CONFIGURATION,
  'AWS::AppConfig::Deployment': CONFIGURATION,
  'AWS::AppFlow::ConnectorProfile': CONFIGURATION,
  'AWS::AppFlow::Flow': JOB_OUTPUT,
  'AWS::AppIntegrations::DataIntegration': JOB_OUTPUT,
  'AWS::AppRunner::Service': BUILD_ARTIFACTS,
  'AWS::BackupGateway::Hypervisor': CONFIGURATION,
  'AWS::Bedrock::Agent': CONFIGURATION,
  'AWS::Bedrock::AutomatedReasoningPolicy': CONFIGURATION,
  'AWS::Bedrock::Blueprint': CONFIGURATION,
  'AWS::Bedrock::DataAutomationLibrary': CONFIGURATION,
  'AWS::Bedrock::DataAutomationProject': CONFIGURATION,
  'AWS::Bedrock::DataSource':
    'Transient ingestion data of a knowledge base; the documents stay in their source bucket and the vectors in their vector store, both judged.',
  'AWS::Bedrock::Flow': CONFIGURATION,
  'AWS::Bedrock::Guardrail': CONFIGURATION,
  'AWS::Bedrock::KnowledgeBase':
    'The vectors live in the vector store the knowledge base names (OpenSearch Serverless, S3 Vectors, Aurora …), judged there.',
  'AWS::Bedrock::Prompt': CONFIGURATION,
  'AWS::BedrockAgentCore::CapacityProvider': SCRATCH,
  'AWS::BedrockAgentCore::ConfigurationBundle': CONFIGURATION,
  'AWS::BedrockAgentCore::Dataset': ML_ARTIFACTS,
  'AWS::BedrockAgentCore::Evaluator': CONFIGURATION,
  'AWS::BedrockAgentCore::Gateway': CONFIGURATION,
  'AWS::BedrockAgentCore::Harness': CONFIGURATION,
  'AWS::BedrockAgentCore::OAuth2CredentialProvider': CONFIGURATION,
  'AWS::BedrockAgentCore::PolicyEngine': CONFIGURATION,
  'AWS::Chime::MediaInsightsPipelineConfiguration': JOB_OUTPUT,
  'AWS::Chime::VoiceConnector':
    'RequireEncryption is about calls in transit (judged by CLV-ENC-9), not storage.',
  'AWS::CleanRooms::Collaboration': CONFIGURATION,
  'AWS::CleanRooms::IdMappingTable': CONFIGURATION,
  'AWS::CleanRooms::IntermediateTable': JOB_OUTPUT,
  'AWS::CleanRoomsML::ConfiguredModelAlgorithm': ML_ARTIFACTS,
  'AWS::CloudFront::FieldLevelEncryptionProfile':
    'Field-level encryption of requests at the edge (CloudFront is judged by CLV-RES-8), not storage.',
  'AWS::CodeArtifact::Domain': BUILD_ARTIFACTS,
  'AWS::CodeBuild::Project': BUILD_ARTIFACTS,
  'AWS::CodeBuild::ReportGroup': BUILD_ARTIFACTS,
  'AWS::CodeCommit::Repository': BUILD_ARTIFACTS,
  'AWS::CodePipeline::Pipeline': BUILD_ARTIFACTS,
  'AWS::CodeStarConnections::RepositoryLink': BUILD_ARTIFACTS,
  'AWS::Cognito::UserPool':
    'KeyConfiguration has no documentation in the CloudFormation specification yet (LambdaConfig.KMSKeyID only encrypts codes sent to custom senders); user pools are judged for access instead.',
  'AWS::Cognito::UserPoolRegionalConfigurationAttachment': CONFIGURATION,
  'AWS::Comprehend::DocumentClassifier': ML_ARTIFACTS,
  'AWS::Comprehend::EntityRecognizer': ML_ARTIFACTS,
  'AWS::Comprehend::Flywheel': ML_ARTIFACTS,
  'AWS::Config::DeliveryChannel': METRICS,
  'AWS::CustomerProfiles::DomainObjectType': INHERITS,
  'AWS::CustomerProfiles::Integration': JOB_OUTPUT,
  'AWS::CustomerProfiles::ObjectType': INHERITS,
  'AWS::DMS::DataProvider': CONFIGURATION,
  'AWS::DMS::Endpoint':
    'Connection settings of a migration endpoint; the source and target stores are judged as resources of their own.',
  'AWS::DMS::InstanceProfile': CONFIGURATION,
  'AWS::DataBrew::Job': JOB_OUTPUT,
  'AWS::DataExchange::EventAction': JOB_OUTPUT,
  'AWS::DataSync::LocationAzureBlob': CONFIGURATION,
  'AWS::DataSync::LocationFSxONTAP': CONFIGURATION,
  'AWS::DataSync::LocationFSxWindows': CONFIGURATION,
  'AWS::DataSync::LocationHDFS': CONFIGURATION,
  'AWS::DataSync::LocationObjectStorage': CONFIGURATION,
  'AWS::DataSync::LocationSMB': CONFIGURATION,
  'AWS::DataZone::Connection': CONFIGURATION,
  'AWS::DataZone::Domain':
    'Catalog metadata of data products; the data stays in the stores it describes, judged there.',
  'AWS::Deadline::Farm': JOB_OUTPUT,
  'AWS::DevOpsAgent::AgentSpace': CONFIGURATION,
  'AWS::DevOpsAgent::Service': CONFIGURATION,
  'AWS::DocDB::GlobalCluster': GLOBAL_CLUSTER,
  'AWS::EC2::EC2Fleet':
    'Overrides of a launch template, whose volumes are judged on the AWS::EC2::LaunchTemplate.',
  'AWS::EC2::TransitGateway': NETWORK_ENCRYPTION,
  'AWS::EC2::VPC': NETWORK_ENCRYPTION,
  'AWS::EC2::VerifiedAccessEndpoint': CONFIGURATION,
  'AWS::EC2::VerifiedAccessGroup': CONFIGURATION,
  'AWS::EC2::VerifiedAccessTrustProvider': CONFIGURATION,
  'AWS::ECR::Repository': BUILD_ARTIFACTS,
  'AWS::ECR::RepositoryCreationTemplate': BUILD_ARTIFACTS,
  'AWS::ECS::Cluster': SCRATCH,
  'AWS::EMR::Step': JOB_OUTPUT,
  'AWS::EMRServerless::Application':
    'Job logs of serverless Spark/Hive applications; the data they process is in judged buckets.',
  'AWS::EntityResolution::IdMappingWorkflow': JOB_OUTPUT,
  'AWS::EntityResolution::MatchingWorkflow': JOB_OUTPUT,
  'AWS::EventsV2::EventSource': CONFIGURATION,
  'AWS::FinSpace::Environment': DISCONTINUED,
  'AWS::Glue::Catalog': CONFIGURATION,
  'AWS::Glue::Connection': CONFIGURATION,
  'AWS::Glue::Integration': JOB_OUTPUT,
  'AWS::Glue::IntegrationResourceProperty': JOB_OUTPUT,
  'AWS::Glue::MLTransform': ML_ARTIFACTS,
  'AWS::GroundStation::MissionProfile': MEDIA_TRANSPORT,
  'AWS::GuardDuty::PublishingDestination':
    'Exports findings to a bucket with a required KMS key; the bucket is judged.',
  'AWS::HealthLake::DataTransformationProfile': CONFIGURATION,
  'AWS::IAM::SAMLProvider': 'Encryption of SAML assertions in transit to AWS, not storage.',
  'AWS::ImageBuilder::Component': BUILD_ARTIFACTS,
  'AWS::ImageBuilder::ContainerRecipe': BUILD_ARTIFACTS,
  'AWS::ImageBuilder::DistributionConfiguration': BUILD_ARTIFACTS,
  'AWS::ImageBuilder::ImageRecipe': BUILD_ARTIFACTS,
  'AWS::ImageBuilder::Workflow': BUILD_ARTIFACTS,
  'AWS::IoTSiteWise::Workspace': CONFIGURATION,
  'AWS::KMS::Alias': KEY_OBJECT,
  'AWS::KafkaConnect::Connector':
    'KafkaClusterEncryptionInTransit is about transit (judged by CLV-ENC-9), not storage.',
  'AWS::Kinesis::Channel': CONFIGURATION,
  'AWS::Lambda::CapacityProvider': SCRATCH,
  'AWS::Lambda::EventSourceMapping':
    'The key encrypts the mapping’s filter criteria; the records stay in their source stream or queue, judged there.',
  'AWS::Lambda::Function':
    'KmsKeyArn encrypts environment variables (configuration); secrets belong in Secrets Manager, judged by CLV-ENC-8.',
  'AWS::Lex::Bot': JOB_OUTPUT,
  'AWS::Lex::BotAlias': JOB_OUTPUT,
  'AWS::Logs::Integration': CONFIGURATION,
  'AWS::Logs::LogAnomalyDetector': METRICS,
  'AWS::LookoutEquipment::InferenceScheduler': DISCONTINUED,
  'AWS::LookoutMetrics::AnomalyDetector': DISCONTINUED,
  'AWS::M2::Application': CONFIGURATION,
  'AWS::M2::Environment': SCRATCH,
  'AWS::MGN::LaunchConfigurationTemplate': CONFIGURATION,
  'AWS::MSK::Channel': CONFIGURATION,
  'AWS::MSK::Replicator':
    'Replication between clusters that are judged themselves; its EncryptionInTransit is judged by CLV-ENC-9.',
  'AWS::MWAA::Environment':
    'The key encrypts Airflow metadata and logs of the environment (workflow definitions), not the data the workflows move.',
  'AWS::MWAAServerless::Workflow': CONFIGURATION,
  'AWS::MediaConnect::Flow': MEDIA_TRANSPORT,
  'AWS::MediaConnect::FlowEntitlement': MEDIA_TRANSPORT,
  'AWS::MediaConnect::FlowOutput': MEDIA_TRANSPORT,
  'AWS::MediaConnect::RouterInput': MEDIA_TRANSPORT,
  'AWS::MediaConnect::RouterOutput': MEDIA_TRANSPORT,
  'AWS::MediaLive::Channel': MEDIA_TRANSPORT,
  'AWS::MediaLive::Input': MEDIA_TRANSPORT,
  'AWS::MediaPackage::OriginEndpoint': MEDIA_TRANSPORT,
  'AWS::MediaPackage::PackagingConfiguration': MEDIA_TRANSPORT,
  'AWS::MediaPackageV2::OriginEndpoint': MEDIA_TRANSPORT,
  'AWS::Neptune::GlobalCluster': GLOBAL_CLUSTER,
  'AWS::NimbleStudio::Studio': DISCONTINUED,
  'AWS::OSIS::Pipeline':
    'Persistent buffer of an ingestion pipeline; the sink it writes to (an OpenSearch domain or collection) is judged.',
  'AWS::ObservabilityAdmin::OrganizationCentralizationRule': METRICS,
  'AWS::ObservabilityAdmin::OrganizationTelemetryRule': METRICS,
  'AWS::ObservabilityAdmin::S3TableIntegration': METRICS,
  'AWS::ObservabilityAdmin::TelemetryRule': METRICS,
  'AWS::OpenSearchService::Application': CONFIGURATION,
  'AWS::OpsWorks::Layer': DISCONTINUED,
  'AWS::PaymentCryptography::Key': KEY_OBJECT,
  'AWS::Personalize::MetricAttribution': METRICS,
  'AWS::Pipes::Pipe':
    'The key encrypts the pipe’s filter and enrichment settings; events stay in the source and target, judged there.',
  'AWS::Proton::EnvironmentTemplate': BUILD_ARTIFACTS,
  'AWS::Proton::ServiceTemplate': BUILD_ARTIFACTS,
  'AWS::RDS::CustomDBEngineVersion': BUILD_ARTIFACTS,
  'AWS::RDS::GlobalCluster': GLOBAL_CLUSTER,
  'AWS::RDS::Integration': 'A zero-ETL integration writes into a warehouse that is judged itself.',
  'AWS::Redshift::Integration': 'A zero-ETL integration writes into a warehouse that is judged itself.',
  'AWS::Redshift::SnapshotCopyGrant': KEY_OBJECT,
  'AWS::Rekognition::StreamProcessor': JOB_OUTPUT,
  'AWS::ResilienceHubV2::Policy': CONFIGURATION,
  'AWS::ResilienceHubV2::Service': CONFIGURATION,
  'AWS::ResilienceHubV2::System': CONFIGURATION,
  'AWS::S3::StorageLens': METRICS,
  'AWS::S3Vectors::Index': INHERITS,
  'AWS::SES::MailManagerIngressPoint': CONFIGURATION,
  'AWS::SES::MailManagerRuleSet': JOB_OUTPUT,
  'AWS::SES::ReceiptRule': JOB_OUTPUT,
  'AWS::SSM::ResourceDataSync': METRICS,
  'AWS::SSMGuiConnect::Preferences': JOB_OUTPUT,
  'AWS::SageMaker::Cluster': SCRATCH,
  'AWS::SageMaker::DataQualityJobDefinition': ML_ARTIFACTS,
  'AWS::SageMaker::DeviceFleet': ML_ARTIFACTS,
  'AWS::SageMaker::InferenceExperiment': ML_ARTIFACTS,
  'AWS::SageMaker::ModelBiasJobDefinition': ML_ARTIFACTS,
  'AWS::SageMaker::ModelCard': ML_ARTIFACTS,
  'AWS::SageMaker::ModelExplainabilityJobDefinition': ML_ARTIFACTS,
  'AWS::SageMaker::ModelPackage': ML_ARTIFACTS,
  'AWS::SageMaker::ModelQualityJobDefinition': ML_ARTIFACTS,
  'AWS::SageMaker::MonitoringSchedule': ML_ARTIFACTS,
  'AWS::SageMaker::PartnerApp': CONFIGURATION,
  'AWS::SageMaker::ProcessingJob': ML_ARTIFACTS,
  'AWS::SageMaker::UserProfile': INHERITS,
  'AWS::Scheduler::Schedule': CONFIGURATION,
  'AWS::SecretsManager::RotationSchedule': CONFIGURATION,
  'AWS::SecurityAgent::AgentSpace': CONFIGURATION,
  'AWS::SecurityAgent::Application': CONFIGURATION,
  'AWS::SecurityAgent::SecurityRequirementPack': CONFIGURATION,
  'AWS::SecurityHub::ConnectorV2': CONFIGURATION,
  'AWS::SecurityLake::DataLake':
    'Security Lake writes OCSF security logs to its own managed buckets in the account (judged when they appear in a template).',
  'AWS::Serverless::Function': SAM,
  'AWS::Serverless::SimpleTable': SAM,
  'AWS::SupportAuthZ::SupportPermit': CONFIGURATION,
  'AWS::Synthetics::Canary':
    'Canary artifacts (screenshots and logs of synthetic test traffic) in a bucket judged itself.',
  'AWS::Timestream::ScheduledQuery': JOB_OUTPUT,
  'AWS::Timestream::Table': INHERITS,
  'AWS::Transfer::Connector': 'AS2 message encryption is about transit (judged by CLV-ENC-9), not storage.',
  'AWS::Translate::ParallelData': ML_ARTIFACTS,
  'AWS::VerifiedPermissions::PolicyStore': CONFIGURATION,
  'AWS::WorkSpacesThinClient::Environment': CONFIGURATION,
};
