/**
 * The organisation baseline: the CloudFormation template a service-managed StackSet rolls out to every
 * account of the enclave OUs, in each region of the config's enclaves (pure: the construct renders it,
 * tests read it). It holds what must exist in an enclave account before and beside Clover's own stacks:
 *
 * - an AWS Config recorder (all supported types; global types in the first region only) delivering to
 *   the monitoring plane's Config bucket, through a role of its own per region;
 * - the trail-check role: the monitoring plane's auditor role (and no one else) reads the state of the
 *   account's trails and Config recorder, before any enclave stage exists.
 *
 * IAM names are global to an account while the StackSet deploys once per region, so each role carries its
 * region in its name: instances in different regions never depend on each other.
 */
import { CONFIG_RECORDER_ROLE_PREFIX, TRAIL_CHECK_ROLE_PREFIX } from '../../config/naming';

export interface BaselineInputs {
  /** Whether the baseline creates a Config recorder and its delivery channel. */
  readonly configRecorder: boolean;
  /** The region whose recorder also records global resource types (IAM): the first of the StackSet's regions. */
  readonly globalResourcesRegion: string;
}

/** Parameters the StackSet passes (literal names of the monitoring plane, so `clover plan` orders the stages). */
export interface BaselineParameters {
  /** Bucket of the monitoring plane that receives Config deliveries. */
  readonly ConfigBucketName: string;
  /** Alias (without `alias/`) of the Config bucket's key. */
  readonly ConfigKeyAlias: string;
  readonly MonitoringAccount: string;
  readonly MonitoringRegion: string;
  /** The monitoring plane's auditor role: the only principal the trail-check role trusts. */
  readonly MonitoringAuditorRoleArn: string;
}

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ Ref: name });
const sub = (text: string): Json => ({ 'Fn::Sub': text });

/** Read-only actions of the trail check on the account's trails. */
export const TRAIL_CHECK_TRAIL_ACTIONS = ['cloudtrail:GetEventSelectors', 'cloudtrail:GetTrailStatus'];

/** Read-only actions of the trail check that take no resource-level permissions (Service Authorization Reference). */
export const TRAIL_CHECK_LIST_ACTIONS = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:ListTrails',
  'config:DescribeConfigurationRecorderStatus',
  'config:DescribeConfigurationRecorders',
  'config:DescribeDeliveryChannelStatus',
  'config:DescribeDeliveryChannels',
];

function configResources(): Record<string, Json> {
  const bucket = 'arn:${AWS::Partition}:s3:::${ConfigBucketName}';
  return {
    ConfigRecorderRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: sub(`${CONFIG_RECORDER_ROLE_PREFIX}\${AWS::Region}`),
        Description: 'Clover baseline: AWS Config records this account and delivers to the monitoring plane',
        // Config assumes the role for this account only (AWS Config developer guide, "IAM role").
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'config.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
            },
          ],
        },
        ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWS_ConfigRole')],
        Policies: [
          {
            PolicyName: 'DeliverToTheMonitoringPlane',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: sub(bucket) },
                {
                  Effect: 'Allow',
                  Action: 's3:PutObject',
                  Resource: sub(`${bucket}/AWSLogs/\${AWS::AccountId}/Config/*`),
                },
                {
                  // The bucket's default encryption uses the monitoring plane's key, found by its alias.
                  Effect: 'Allow',
                  Action: 'kms:GenerateDataKey',
                  Resource: sub('arn:${AWS::Partition}:kms:${MonitoringRegion}:${MonitoringAccount}:key/*'),
                  Condition: {
                    StringEquals: { 'kms:ViaService': sub('s3.${MonitoringRegion}.${AWS::URLSuffix}') },
                    'ForAnyValue:StringEquals': { 'kms:ResourceAliases': sub('alias/${ConfigKeyAlias}') },
                  },
                },
              ],
            },
          },
        ],
      },
    },
    ConfigRecorder: {
      Type: 'AWS::Config::ConfigurationRecorder',
      Properties: {
        Name: 'clover',
        RoleARN: { 'Fn::GetAtt': ['ConfigRecorderRole', 'Arn'] },
        RecordingGroup: {
          AllSupported: true,
          IncludeGlobalResourceTypes: { 'Fn::If': ['RecordsGlobalResources', true, false] },
        },
      },
    },
    ConfigDelivery: {
      Type: 'AWS::Config::DeliveryChannel',
      Properties: {
        Name: 'clover',
        S3BucketName: ref('ConfigBucketName'),
        ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
      },
    },
  };
}

/** The baseline template, as CloudFormation reads it from the StackSet's TemplateBody. */
export function baselineTemplate(inputs: BaselineInputs): Json {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'Clover organisation baseline: AWS Config recorder and the trail-check role of the independent monitor',
    Parameters: {
      ConfigBucketName: { Type: 'String', Description: 'Config bucket of the monitoring plane' },
      ConfigKeyAlias: { Type: 'String', Description: 'Alias of the Config bucket key (without alias/)' },
      MonitoringAccount: { Type: 'String', AllowedPattern: '^\\d{12}$' },
      MonitoringRegion: { Type: 'String' },
      MonitoringAuditorRoleArn: { Type: 'String', Description: 'The only principal the trail check trusts' },
    },
    ...(inputs.configRecorder
      ? {
          Conditions: {
            RecordsGlobalResources: { 'Fn::Equals': [ref('AWS::Region'), inputs.globalResourcesRegion] },
          },
        }
      : {}),
    Resources: {
      ...(inputs.configRecorder ? configResources() : {}),
      TrailCheckRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: sub(`${TRAIL_CHECK_ROLE_PREFIX}\${AWS::Region}`),
          Description:
            'Clover baseline: the monitoring plane’s auditor reads the state of this account’s trails and Config recorder',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: sub('arn:${AWS::Partition}:iam::${MonitoringAccount}:root') },
                Action: 'sts:AssumeRole',
                Condition: { ArnEquals: { 'aws:PrincipalArn': ref('MonitoringAuditorRoleArn') } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'ReadTrailAndRecorderState',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: TRAIL_CHECK_TRAIL_ACTIONS,
                    // A multi-region trail lives in one region: the account's trails in any region.
                    Resource: sub('arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*'),
                  },
                  { Effect: 'Allow', Action: TRAIL_CHECK_LIST_ACTIONS, Resource: '*' },
                ],
              },
            },
          ],
        },
      },
    },
  };
}
