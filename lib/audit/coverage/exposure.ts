/**
 * What makes a resource reachable from the internet or usable without
 * authentication, by resource type, from the CloudFormation resource
 * specification's documented properties and defaults. Types whose rule spans
 * several properties are judged in lib/audit/exposure.ts and named in the
 * `…_ELSEWHERE` maps, so docs/coverage.md lists every judged type.
 */

/** One flag or setting whose value (or default) makes an endpoint public. */
export interface ExposureSetting {
  /** Path of the property (dotted). */
  readonly property: string;
  /** Values (lower-case text) that expose the resource. */
  readonly exposed: readonly string[];
  /** The value used when the property is absent (lower-case text). */
  readonly default?: string;
  /** What is reachable, for messages. */
  readonly what: string;
  /** A value that keeps the resource private (what the fix sets), lower-case text. */
  readonly safe: string;
}

/** Public-endpoint flags judged by CLV-ACC-4. */
export const PUBLIC_ENDPOINT_SETTINGS: Readonly<Record<string, readonly ExposureSetting[]>> = {
  'AWS::RDS::DBInstance': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      what: 'the database instance has a public address',
      safe: 'false',
    },
  ],
  'AWS::RDS::DBCluster': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      what: 'the DB cluster has public addresses',
      safe: 'false',
    },
  ],
  'AWS::Redshift::Cluster': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      default: 'false',
      what: 'the warehouse has a public address',
      safe: 'false',
    },
  ],
  'AWS::RedshiftServerless::Workgroup': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      default: 'false',
      what: 'the workgroup is reachable from the internet',
      safe: 'false',
    },
  ],
  'AWS::DMS::ReplicationInstance': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      default: 'true',
      what: 'the replication instance has a public address',
      safe: 'false',
    },
  ],
  'AWS::Lightsail::Database': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      default: 'false',
      what: 'the database is reachable from the internet',
      safe: 'false',
    },
  ],
  'AWS::AmazonMQ::Broker': [
    {
      property: 'PubliclyAccessible',
      exposed: ['true'],
      default: 'false',
      what: 'the broker accepts connections from outside its VPC',
      safe: 'false',
    },
  ],
  'AWS::MSK::Cluster': [
    {
      property: 'BrokerNodeGroupInfo.ConnectivityInfo.PublicAccess.Type',
      exposed: ['service_provided_eips'],
      default: 'disabled',
      what: 'the brokers have public addresses',
      safe: 'disabled',
    },
  ],
  'AWS::SageMaker::NotebookInstance': [
    {
      property: 'DirectInternetAccess',
      exposed: ['enabled'],
      default: 'enabled',
      what: 'the notebook reaches (and is reachable from) the internet outside the VPC',
      safe: 'disabled',
    },
  ],
  'AWS::SageMaker::Domain': [
    {
      property: 'AppNetworkAccessType',
      exposed: ['publicinternetonly'],
      default: 'publicinternetonly',
      what: 'Studio apps reach the internet through a network SageMaker manages, outside the VPC',
      safe: 'vpconly',
    },
  ],
  'AWS::AppRunner::Service': [
    {
      property: 'NetworkConfiguration.IngressConfiguration.IsPubliclyAccessible',
      exposed: ['true'],
      default: 'true',
      what: 'the service is reachable from the internet',
      safe: 'false',
    },
  ],
  'AWS::Transfer::Server': [
    {
      property: 'EndpointType',
      exposed: ['public'],
      default: 'public',
      what: 'the file-transfer endpoint is public',
      safe: 'vpc',
    },
  ],
  'AWS::ElasticLoadBalancing::LoadBalancer': [
    {
      property: 'Scheme',
      exposed: ['internet-facing'],
      default: 'internet-facing',
      what: 'the load balancer is internet-facing',
      safe: 'internal',
    },
  ],
};

/** Public-endpoint rules of CLV-ACC-4 that span several properties, by what they read. */
export const PUBLIC_ENDPOINTS_ELSEWHERE: Readonly<Record<string, string>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer':
    'Scheme (default internet-facing) of application and network load balancers',
  'AWS::EKS::Cluster':
    'ResourcesVpcConfig.EndpointPublicAccess (default true) with PublicAccessCidrs (default 0.0.0.0/0)',
  'AWS::OpenSearchService::Domain': 'VPCOptions (absent: a public endpoint)',
  'AWS::Elasticsearch::Domain': 'VPCOptions (absent: a public endpoint)',
  'AWS::OpenSearchServerless::SecurityPolicy': 'Policy rules of a network policy with AllowFromPublic true',
  'AWS::ECR::PublicRepository': 'the type itself: a public gallery repository',
};

/** Settings that let callers in without authentication, judged by CLV-ACC-5 (by what is read). */
export const UNAUTHENTICATED_ACCESS: Readonly<Record<string, string>> = {
  'AWS::Cognito::IdentityPool':
    'AllowUnauthenticatedIdentities true: anyone gets AWS credentials of the unauthenticated role',
  'AWS::Lambda::Url': 'AuthType NONE: the function URL answers anyone on the internet',
  'AWS::Lambda::Permission': 'FunctionUrlAuthType NONE: a permission for unauthenticated function URL calls',
  'AWS::ApiGateway::Method':
    'AuthorizationType NONE (the default) on a method other than OPTIONS of an API that is not PRIVATE',
  'AWS::ApiGatewayV2::Route': 'AuthorizationType NONE (the default) on a route other than OPTIONS',
  'AWS::ApiGateway::RestApi':
    'Body (OpenAPI): an operation other than OPTIONS without a security requirement of IAM, Cognito or a Lambda authorizer, on an API that is not PRIVATE',
  'AWS::ApiGatewayV2::Api':
    'Body (OpenAPI): an operation other than OPTIONS without IAM, JWT or Lambda authorization; Target (quick create: a $default route without authorization)',
};

/** Long-lived credentials, judged by CLV-ACC-6. */
export const LONG_LIVED_CREDENTIALS: Readonly<Record<string, string>> = {
  'AWS::IAM::AccessKey': 'Status Active (the default): a long-lived access key of an IAM user',
};
