import { describeVerdict } from '../../../lib/audit/runtime/judge';
import { doc, findingLines, flowsTitled, prove, stackOf } from './support';

/** A log group subscribed to a function, as any team would write it; `permission` shapes the function policy. */
function subscribedLogGroup(permission?: Record<string, unknown>) {
  return stackOf({
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: doc({
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          }),
        },
      },
      Shipper: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          FunctionName: 'shipper',
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: 'x' },
        },
      },
      ...(permission ? { Invoke: { Type: 'AWS::Lambda::Permission', Properties: permission } } : {}),
      Group: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/app/orders', RetentionInDays: 30 },
      },
      Subscription: {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: {
          LogGroupName: { Ref: 'Group' },
          DestinationArn: { 'Fn::GetAtt': ['Shipper', 'Arn'] },
          FilterPattern: '',
        },
      },
    },
  });
}

const LOGS_PERMISSION = {
  Action: 'lambda:InvokeFunction',
  FunctionName: { 'Fn::GetAtt': ['Shipper', 'Arn'] },
  Principal: 'logs.amazonaws.com',
  SourceArn: {
    'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app/orders:*',
  },
  SourceAccount: { Ref: 'AWS::AccountId' },
};

describe('flows derived from a subscription filter (plain template, no Clover metadata)', () => {
  test('CloudWatch Logs may invoke the destination when a permission names the log group and account', async () => {
    const proof = await prove(subscribedLogGroup(LOGS_PERMISSION));
    const [flow] = flowsTitled(proof, /subscription of \/app\/orders → shipper/);
    expect(flow.status).toBe('allowed');
    expect(flow.verdicts[0].request.context).toMatchObject({
      'aws:SourceArn': 'arn:aws:logs:eu-west-1:111111111111:log-group:/app/orders:*',
      'aws:SourceAccount': '111111111111',
    });
    expect(proof.findings).toEqual([]);
  });

  test('without a permission the flow is refused (CLV-RUN-1 on the subscription)', async () => {
    const proof = await prove(subscribedLogGroup());
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-1 Subscription: required flow "CloudWatch Logs subscription of \/app\/orders → shipper" is refused: logs \(logs.amazonaws.com\) lambda:InvokeFunction .*function:shipper — .*has no resource policy/,
      ),
    ]);
  });

  test('a permission for another log group names the statement and the source it requires', async () => {
    const proof = await prove(
      subscribedLogGroup({
        ...LOGS_PERMISSION,
        SourceArn: 'arn:aws:logs:eu-west-1:111111111111:log-group:/app/payments:*',
      }),
    );
    expect(proof.findings).toHaveLength(1);
    expect(proof.findings[0].message).toMatch(
      /function policy from Invoke \(Workload\) does not allow it: statement Invoke requires AWS:SourceArn ArnLike "arn:aws:logs:eu-west-1:111111111111:log-group:\/app\/payments:\*"; the request carries "arn:aws:logs:eu-west-1:111111111111:log-group:\/app\/orders:\*"/,
    );
  });
});

/** An alarm notifying a topic encrypted with a customer managed key. */
function alarmOnEncryptedTopic(keyStatements: Record<string, unknown>[]) {
  return stackOf({
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        Properties: {
          EnableKeyRotation: true,
          KeyPolicy: doc(
            {
              Sid: 'Admin',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
              Action: 'kms:*',
              Resource: '*',
            },
            ...keyStatements,
          ),
        },
      },
      Topic: {
        Type: 'AWS::SNS::Topic',
        Properties: { TopicName: 'alerts', KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
      },
      TopicPolicy: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: {
          Topics: [{ Ref: 'Topic' }],
          PolicyDocument: doc({
            Sid: 'Alarms',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: 'Topic' },
            Condition: {
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Sub': 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*',
                },
              },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        },
      },
      Errors: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'orders-errors',
          AlarmActions: [{ Ref: 'Topic' }],
          MetricName: 'Errors',
          Namespace: 'App',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      },
    },
  });
}

const CLOUDWATCH_KEY_USE = {
  Sid: 'AlarmsToThisTopic',
  Effect: 'Allow',
  Principal: { Service: 'cloudwatch.amazonaws.com' },
  Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
  Resource: '*',
  Condition: {
    StringEquals: {
      'kms:EncryptionContext:aws:sns:topicArn': {
        'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts',
      },
      'aws:SourceAccount': { Ref: 'AWS::AccountId' },
    },
  },
};

describe('flows derived from an alarm action on an encrypted topic', () => {
  test('publishing needs the topic policy and the key policy: both allow, with source and encryption context', async () => {
    const proof = await prove(alarmOnEncryptedTopic([CLOUDWATCH_KEY_USE]));
    const [flow] = flowsTitled(proof, /alarm orders-errors → topic alerts/);
    expect(flow.status).toBe('allowed');
    expect(flow.verdicts.map((verdict) => verdict.request.action)).toEqual([
      'sns:Publish',
      'kms:GenerateDataKey',
      'kms:Decrypt',
    ]);
    expect(flow.verdicts[1].request.context['kms:EncryptionContext:aws:sns:topicArn']).toBe(
      'arn:aws:sns:eu-west-1:111111111111:alerts',
    );
    expect(proof.findings).toEqual([]);
  });

  test('a key policy without CloudWatch refuses the alarm (CLV-RUN-1 naming the key policy)', async () => {
    const proof = await prove(alarmOnEncryptedTopic([]));
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-1 Errors: .*cloudwatch \(cloudwatch.amazonaws.com\) kms:GenerateDataKey .* — key policy of Key \(Workload\) does not allow it/,
      ),
    ]);
  });

  test('a key statement scoped to another topic names the encryption context it requires', async () => {
    const other = {
      ...CLOUDWATCH_KEY_USE,
      Condition: {
        StringEquals: {
          'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:111111111111:other',
        },
      },
    };
    const proof = await prove(alarmOnEncryptedTopic([other]));
    expect(proof.findings[0]?.message).toMatch(
      /statement AlarmsToThisTopic requires kms:EncryptionContext:aws:sns:topicArn StringEquals "arn:aws:sns:eu-west-1:111111111111:other"; the request carries "arn:aws:sns:eu-west-1:111111111111:alerts"/,
    );
  });
});

/** A bucket in one account replicating to another account's bucket and key (two templates audited together). */
function replicationPair(destinationKeyStatements: Record<string, unknown>[]) {
  const source = stackOf(
    {
      Resources: {
        SourceKey: {
          Type: 'AWS::KMS::Key',
          Properties: {
            EnableKeyRotation: true,
            KeyPolicy: doc({
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111111111111:root' },
              Action: 'kms:*',
              Resource: '*',
            }),
          },
        },
        ReplicationRole: {
          Type: 'AWS::IAM::Role',
          Properties: {
            RoleName: 'orders-replication',
            AssumeRolePolicyDocument: doc({
              Effect: 'Allow',
              Principal: { Service: 's3.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
            }),
            Policies: [
              {
                PolicyName: 'replicate',
                PolicyDocument: doc(
                  {
                    Effect: 'Allow',
                    Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
                    Resource: 'arn:aws:s3:::orders-source',
                  },
                  {
                    Effect: 'Allow',
                    Action: [
                      's3:GetObjectVersionForReplication',
                      's3:GetObjectVersionAcl',
                      's3:GetObjectVersionTagging',
                    ],
                    Resource: 'arn:aws:s3:::orders-source/*',
                  },
                  {
                    Effect: 'Allow',
                    Action: 'kms:Decrypt',
                    Resource: { 'Fn::GetAtt': ['SourceKey', 'Arn'] },
                  },
                  {
                    Effect: 'Allow',
                    Action: ['s3:ReplicateObject', 's3:ReplicateTags', 's3:ReplicateDelete'],
                    Resource: 'arn:aws:s3:::orders-replica/*',
                  },
                  {
                    Effect: 'Allow',
                    Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
                    Resource: 'arn:aws:kms:eu-central-1:222222222222:key/*',
                  },
                ),
              },
            ],
          },
        },
        Source: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'orders-source',
            VersioningConfiguration: { Status: 'Enabled' },
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                {
                  BucketKeyEnabled: true,
                  ServerSideEncryptionByDefault: {
                    SSEAlgorithm: 'aws:kms',
                    KMSMasterKeyID: { 'Fn::GetAtt': ['SourceKey', 'Arn'] },
                  },
                },
              ],
            },
            ReplicationConfiguration: {
              Role: { 'Fn::GetAtt': ['ReplicationRole', 'Arn'] },
              Rules: [
                {
                  Status: 'Enabled',
                  Priority: 0,
                  Filter: { Prefix: '' },
                  DeleteMarkerReplication: { Status: 'Enabled' },
                  SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
                  Destination: {
                    Bucket: 'arn:aws:s3:::orders-replica',
                    Account: '222222222222',
                    EncryptionConfiguration: {
                      ReplicaKmsKeyID: 'arn:aws:kms:eu-central-1:222222222222:alias/orders-replica',
                    },
                  },
                },
              ],
            },
          },
        },
      },
    },
    { name: 'Source' },
  );
  const fromRole = { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/orders-replication' } };
  const destination = stackOf(
    {
      Resources: {
        ReplicaKey: {
          Type: 'AWS::KMS::Key',
          Properties: {
            EnableKeyRotation: true,
            KeyPolicy: doc(
              {
                Sid: 'Admin',
                Effect: 'Allow',
                Principal: { AWS: 'arn:aws:iam::222222222222:root' },
                Action: 'kms:*',
                Resource: '*',
              },
              ...destinationKeyStatements,
            ),
          },
        },
        ReplicaAlias: {
          Type: 'AWS::KMS::Alias',
          Properties: { AliasName: 'alias/orders-replica', TargetKeyId: { Ref: 'ReplicaKey' } },
        },
        Replica: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'orders-replica', VersioningConfiguration: { Status: 'Enabled' } },
        },
        ReplicaPolicy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Replica' },
            PolicyDocument: doc({
              Sid: 'FromSource',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111111111111:root' },
              Action: ['s3:ReplicateObject', 's3:ReplicateTags', 's3:ReplicateDelete'],
              Resource: 'arn:aws:s3:::orders-replica/*',
              Condition: fromRole,
            }),
          },
        },
      },
    },
    { name: 'Destination', account: '222222222222', region: 'eu-central-1' },
  );
  return [source, destination];
}

describe('flows derived from a replication configuration with a destination key', () => {
  const keyForRole = {
    Sid: 'ReplicasFromSource',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111111111111:root' },
    Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
    Resource: '*',
    Condition: {
      ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/orders-replication' },
      StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' },
    },
  };

  test('the role reads the source, decrypts with its key, writes replicas and encrypts with the destination key (found through its alias)', async () => {
    const proof = await prove(...replicationPair([keyForRole]));
    const [flow] = flowsTitled(proof, /replication of orders-source → orders-replica/);
    expect(flow.status).toBe('allowed');
    const encrypt = flow.verdicts.find((verdict) => verdict.request.action === 'kms:Encrypt')!;
    expect(encrypt.request.resource).toMatch(/^arn:aws:kms:eu-central-1:222222222222:key\//);
    expect(encrypt.request.context['kms:ViaService']).toBe('s3.eu-central-1.amazonaws.com');
    expect(proof.findings).toEqual([]);
  });

  test('a destination key that does not admit the role refuses the replicas (CLV-RUN-1 on the source bucket)', async () => {
    const proof = await prove(...replicationPair([]));
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-1 Source: required flow "replication of orders-source → orders-replica" is refused: role orders-replication kms:Encrypt arn:aws:kms:eu-central-1:222222222222:key\/.* — key policy of ReplicaKey \(Destination\)/,
      ),
    ]);
  });

  test('audited alone, the source cannot see the destination: the flow is listed as not judged, not as a finding', async () => {
    const [source] = replicationPair([keyForRole]);
    const proof = await prove(source);
    const [flow] = flowsTitled(proof, /replication of orders-source/);
    expect(flow.status).toBe('not-judged');
    expect(flow.deciding?.reason).toMatch(
      /arn:aws:s3:::orders-replica\/replicated-object is not among the audited templates/,
    );
    expect(proof.findings).toEqual([]);
  });
});

describe('a target the proof does not model', () => {
  test('an event rule starting an ECS task is listed as not judged, with its reason and no request', async () => {
    const proof = await prove(
      stackOf({
        Resources: {
          Cluster: { Type: 'AWS::ECS::Cluster' },
          Schedule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              ScheduleExpression: 'rate(1 hour)',
              Targets: [
                {
                  Id: 'Task',
                  Arn: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
                  EcsParameters: {
                    TaskDefinitionArn: 'arn:aws:ecs:eu-west-1:111111111111:task-definition/t:1',
                  },
                },
              ],
            },
          },
        },
      }),
    );
    const [flow] = flowsTitled(proof, /Cluster\.Arn/);
    expect(flow.status).toBe('not-judged');
    expect(flow.flow.requests).toHaveLength(0);
    // The report's one-line description of the deciding verdict must not need a request.
    expect(describeVerdict(flow.deciding!)).toMatch(
      /^not judged: it names a .* target the proof does not model/,
    );
  });
});
