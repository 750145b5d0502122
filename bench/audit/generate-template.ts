import * as fs from 'fs';
import * as path from 'path';
import type { CfnResourceJson, CfnTemplate } from '../../lib/audit/template';

/** The compliant enclave fixture the generated template grows from. */
const BASE_FILE = path.join(__dirname, '..', '..', 'test', 'fixtures', 'audit', 'compliant.json');

const AZS = [
  { zone: 'eu-west-1a', endpoint: 'GwlbEndpointA', returnTable: 'NatRtA' },
  { zone: 'eu-west-1b', endpoint: 'GwlbEndpointB', returnTable: 'NatRtB' },
];

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/**
 * One workload of the enclave (13 resources): an encrypted, TLS-only bucket,
 * a queue, a topic, a table and a log group on the enclave key, a function
 * with its role, and a workload subnet routed (both ways) through the
 * same-AZ GWLB endpoint. Every resource is compliant, so every rule runs its
 * full check.
 */
function workload(i: number): Record<string, CfnResourceJson> {
  const az = AZS[i % AZS.length];
  const cidr = `10.10.${32 + Math.floor(i / 16)}.${(i % 16) * 16}/28`;
  const n = String(i).padStart(5, '0');
  return {
    [`Bucket${n}`]: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf('Key') },
              BucketKeyEnabled: true,
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: 'enclave-access-logs', LogFilePrefix: `bucket-${n}/` },
      },
    },
    [`BucketPolicy${n}`]: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: ref(`Bucket${n}`),
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: [arnOf(`Bucket${n}`), { 'Fn::Join': ['', [arnOf(`Bucket${n}`), '/*']] }],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    [`Queue${n}`]: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: ref('Key') } },
    [`Topic${n}`]: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: ref('Key') } },
    [`Table${n}`]: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: arnOf('Key') },
      },
    },
    [`LogGroup${n}`]: {
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365, KmsKeyId: arnOf('Key') },
    },
    [`Role${n}`]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    },
    [`Function${n}`]: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Role: arnOf(`Role${n}`),
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: 'exports.handler = async () => {};' },
        KmsKeyArn: arnOf('Key'),
        LoggingConfig: { LogGroup: ref(`LogGroup${n}`) },
      },
    },
    [`Subnet${n}`]: {
      Type: 'AWS::EC2::Subnet',
      Properties: {
        VpcId: ref('EnclaveVpc'),
        CidrBlock: cidr,
        AvailabilityZone: az.zone,
        MapPublicIpOnLaunch: false,
      },
    },
    [`RouteTable${n}`]: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('EnclaveVpc') } },
    [`Association${n}`]: {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: { SubnetId: ref(`Subnet${n}`), RouteTableId: ref(`RouteTable${n}`) },
    },
    [`DefaultRoute${n}`]: {
      Type: 'AWS::EC2::Route',
      Properties: {
        RouteTableId: ref(`RouteTable${n}`),
        DestinationCidrBlock: '0.0.0.0/0',
        VpcEndpointId: ref(az.endpoint),
      },
    },
    [`ReturnRoute${n}`]: {
      Type: 'AWS::EC2::Route',
      Properties: {
        RouteTableId: ref(az.returnTable),
        DestinationCidrBlock: cidr,
        VpcEndpointId: ref(az.endpoint),
      },
    },
  };
}

const WORKLOAD_SIZE = Object.keys(workload(0)).length;

/**
 * A compliant template with exactly `resources` resources: the compliant
 * enclave fixture, as many whole workloads as fit, and SSM parameters to fill
 * the rest. Deterministic for a given count.
 */
export function generateTemplate(resources: number): CfnTemplate {
  const base = JSON.parse(fs.readFileSync(BASE_FILE, 'utf8')) as CfnTemplate;
  const all: Record<string, CfnResourceJson> = { ...base.Resources };
  const baseCount = Object.keys(all).length;
  if (resources < baseCount) throw new Error(`a generated template has at least ${baseCount} resources`);
  const workloads = Math.floor((resources - baseCount) / WORKLOAD_SIZE);
  for (let i = 0; i < workloads; i++) Object.assign(all, workload(i));
  for (let i = 0; Object.keys(all).length < resources; i++) {
    all[`Setting${String(i).padStart(5, '0')}`] = {
      Type: 'AWS::SSM::Parameter',
      Properties: { Type: 'String', Value: `setting-${i}` },
    };
  }
  return { ...base, Description: `clover audit benchmark: ${resources} resources`, Resources: all };
}

/** Writes a generated template; `npx ts-node bench/audit/generate-template.ts 10000 out.json`. */
if (require.main === module) {
  const [count = '10000', out = 'bench/results/audit-10000.json'] = process.argv.slice(2);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(generateTemplate(Number(count))));
  process.stdout.write(`${out}: ${count} resources\n`);
}
