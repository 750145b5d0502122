import { planDeployment, planJson, PlanStackInput } from '../../../lib/audit/deploy';
import { findLiterals, literalText, stackEnvironment } from '../../../lib/audit/deploy/literals';

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const DUBLIN_1 = { account: '111111111111', region: 'eu-west-1' };
const DUBLIN_2 = { account: '222222222222', region: 'eu-west-1' };
const MONITORING = { account: '444444444444', region: 'eu-west-1' };

function stack(
  stage: string,
  name: string,
  env: { account: string; region: string },
  Resources: Resources,
  extra: Partial<PlanStackInput> = {},
): PlanStackInput {
  return {
    stage,
    name,
    stackName: `${stage}-${name}`,
    ...env,
    template: { Resources },
    dependsOn: [],
    ...extra,
  };
}

/** `arn:${AWS::Partition}:…` as CDK renders it. */
function partitionArn(rest: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

const archive = stack('monitoring', 'Monitoring', MONITORING, {
  Archive: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'archive-444444444444' } },
  Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'security-events' } },
  ArchivePolicy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: partitionArn(':iam::111111111111:root') },
            Action: 's3:PutObject',
            Condition: { ArnEquals: { 'aws:PrincipalArn': partitionArn(':iam::111111111111:role/shipper') } },
          },
        ],
      },
    },
  },
});

function shipper(stage: string, env: { account: string; region: string }): PlanStackInput {
  return stack(stage, 'Logging', env, {
    Shipper: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'shipper' } },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 's3:PutObject',
              Resource: partitionArn(':s3:::archive-444444444444/*'),
            },
          ],
        },
      },
    },
    Function: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { ARCHIVE_BUCKET: 'archive-444444444444' } } },
    },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['aws.kms'] },
        Targets: [
          { Id: 'bus', Arn: partitionArn(':events:eu-west-1:444444444444:event-bus/security-events') },
        ],
      },
    },
  });
}

function replicating(stage: string, env: { account: string; region: string }, to: string, toEnv: typeof env) {
  return stack(stage, 'Data', env, {
    Bucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: `data-${stage}`,
        ReplicationConfiguration: {
          Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          Rules: [
            {
              Status: 'Enabled',
              Destination: {
                Bucket: partitionArn(`:s3:::data-${to}`),
                EncryptionConfiguration: {
                  ReplicaKmsKeyID: partitionArn(`:kms:${toEnv.region}:${toEnv.account}:alias/data/${to}`),
                },
              },
            },
          ],
        },
      },
    },
    Alias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: `alias/data/${stage}`, TargetKeyId: { Ref: 'Key' } },
    },
  });
}

const sinks = (stage: string, env: { account: string; region: string }) =>
  stack(stage, 'Data', env, {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: `data-${stage}` } },
    Alias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: `alias/data/${stage}`, TargetKeyId: { Ref: 'Key' } },
    },
  });

describe('literals', () => {
  const env = stackEnvironment('111111111111', 'eu-west-1');

  test('folds the stack pseudo parameters in Fn::Join, Fn::Sub and Ref; anything resource-bound is not literal', () => {
    expect(literalText(partitionArn(':s3:::b'), env)).toBe('arn:aws:s3:::b');
    expect(
      literalText({ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q' }, env),
    ).toBe('arn:aws:sqs:eu-west-1:111111111111:q');
    expect(literalText({ 'Fn::Sub': ['${Name}-x', { Name: 'n' }] }, env)).toBe('n-x');
    expect(literalText({ 'Fn::Join': ['', ['a', { Ref: 'Bucket' }]] }, env)).toBeUndefined();
    expect(literalText(partitionArn(':s3:::b'), stackEnvironment('111111111111', 'eusc-de-east-1'))).toBe(
      'arn:aws-eusc:s3:::b',
    );
  });

  test('skips policy conditions, event and filter patterns, tags and descriptions, and the targets of Ref', () => {
    const found = findLiterals(
      {
        Resources: {
          R: {
            Type: 'AWS::Any::Thing',
            Properties: {
              Condition: { StringEquals: { k: 'in-condition' } },
              EventPattern: { detail: ['in-pattern'] },
              FilterPattern: 'in-filter',
              Tags: [{ Key: 'k', Value: 'in-tag' }],
              Description: 'in-description',
              Target: { Ref: 'LogicalId' },
              Kept: 'kept',
              Joined: { 'Fn::Join': ['', ['arn:aws:s3:::prefix/', { Ref: 'Key' }]] },
            },
          },
        },
      },
      env,
    );
    expect(found.map((literal) => [literal.text, literal.form, literal.path])).toEqual([
      ['kept', 'whole', 'Kept'],
      ['arn:aws:s3:::prefix/', 'prefix', 'Joined'],
    ]);
  });
});

describe('cross-stage dependencies', () => {
  test('an enclave using the archive and the security bus deploys after the monitoring stage; a condition naming its role, or an identity policy naming the archive, orders nothing', () => {
    const plan = planDeployment([shipper('dublin-1', DUBLIN_1), archive]);
    // IAM never looks up the resources an identity policy names; the function's settings and the rule's target must exist.
    expect(planJson(plan).dependencies).toEqual([
      {
        from: 'dublin-1/Logging',
        to: 'monitoring/Monitoring',
        reference: 'Function.Environment.Variables.ARCHIVE_BUCKET names S3 bucket archive-444444444444',
      },
      {
        from: 'dublin-1/Logging',
        to: 'monitoring/Monitoring',
        reference: 'Rule.Targets[0].Arn names event bus security-events',
      },
    ]);
    expect(plan.waves.map((wave) => wave.stages.map((stage) => stage.name))).toEqual([
      ['monitoring'],
      ['dublin-1'],
    ]);
  });

  test('a replication destination deploys before its source; the reference names the bucket and the replica key alias', () => {
    const plan = planDeployment([
      replicating('dublin-1', DUBLIN_1, 'dublin-2', DUBLIN_2),
      sinks('dublin-2', DUBLIN_2),
    ]);
    expect(plan.waves.map((wave) => wave.stages.map((stage) => stage.name))).toEqual([
      ['dublin-2'],
      ['dublin-1'],
    ]);
    expect(plan.dependencies.map((d) => d.reference)).toEqual([
      'Bucket.ReplicationConfiguration.Rules[0].Destination.Bucket names S3 bucket data-dublin-2',
      'Bucket.ReplicationConfiguration.Rules[0].Destination.EncryptionConfiguration.ReplicaKmsKeyID names KMS alias alias/data/dublin-2',
    ]);
  });

  test('names need the same account and Region as their owner: a log group of another account is not referenced by name', () => {
    const owner = stack('apps', 'Apps', DUBLIN_1, {
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/app/access' } },
    });
    const subscriber = (env: { account: string; region: string }) =>
      stack('enclave', 'Logging', env, {
        Filter: {
          Type: 'AWS::Logs::SubscriptionFilter',
          Properties: { LogGroupName: '/app/access', FilterPattern: '', DestinationArn: { Ref: 'F' } },
        },
      });
    expect(planDeployment([subscriber(DUBLIN_1), owner]).dependencies.map((d) => d.to)).toEqual([
      'apps/Apps',
    ]);
    const elsewhere = planDeployment([subscriber(DUBLIN_2), owner]);
    expect(elsewhere.dependencies).toEqual([]);
    expect(elsewhere.prerequisites.filter((p) => p.kind === 'log-group').map((p) => p.description)).toEqual([
      'log group /app/access must exist in aws://222222222222/eu-west-1 before enclave/Logging deploys (Filter filters it); no stack of this assembly creates it',
    ]);
  });

  test('finds roles as trust principals, secrets by ARN with their random suffix, SSM dynamic references and imports; not wildcards or account roots', () => {
    const owner = stack('provider', 'Main', DUBLIN_1, {
      Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'deployer', Path: '/ops/' } },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'token' } },
      Parameter: {
        Type: 'AWS::SSM::Parameter',
        Properties: { Name: '/endpoint/service-name', Type: 'String' },
      },
    });
    const exporting = {
      ...owner,
      template: { ...owner.template, Outputs: { Out: { Value: 'x', Export: { Name: 'shared-value' } } } },
    };
    const consumer = stack('consumer', 'Main', DUBLIN_1, {
      Trusting: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Principal: { AWS: 'arn:aws:iam::111111111111:role/ops/deployer' },
              },
              {
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Principal: { AWS: 'arn:aws:iam::111111111111:root' },
              },
            ],
          },
        },
      },
      Reader: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              TOKEN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:token-AbCdEf',
              ANY: 'arn:aws:s3:::*',
            },
          },
        },
      },
      ReaderPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: 'secretsmanager:GetSecretValue',
                Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:token-AbCdEf',
              },
            ],
          },
        },
      },
      Endpoint: {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          ServiceName: '{{resolve:ssm:/endpoint/service-name}}',
          VpcId: { 'Fn::ImportValue': 'shared-value' },
        },
      },
    });
    expect(planDeployment([consumer, exporting]).dependencies.map((d) => d.reference)).toEqual([
      'Trusting.AssumeRolePolicyDocument.Statement[0].Principal.AWS names IAM role deployer',
      'Reader.Environment.Variables.TOKEN names secret token',
      'Endpoint.ServiceName names SSM parameter /endpoint/service-name',
      'Endpoint.VpcId names CloudFormation export shared-value',
    ]);
  });
});

describe('waves', () => {
  test('bidirectional replication is a cycle: exit-worthy, named by its references, with the two-step deploy that breaks it', () => {
    const plan = planDeployment([
      replicating('dublin-1', DUBLIN_1, 'dublin-2', DUBLIN_2),
      replicating('dublin-2', DUBLIN_2, 'dublin-1', DUBLIN_1),
    ]);
    expect(plan.waves).toEqual([]);
    expect(plan.cycles).toHaveLength(1);
    expect(plan.cycles[0].stages).toEqual(['dublin-1', 'dublin-2']);
    expect(plan.cycles[0].dependencies.map((d) => `${d.from} -> ${d.to}`)).toEqual([
      'dublin-1/Data -> dublin-2/Data',
      'dublin-1/Data -> dublin-2/Data',
      'dublin-2/Data -> dublin-1/Data',
      'dublin-2/Data -> dublin-1/Data',
    ]);
    expect(plan.cycles[0].twoSteps).toMatch(
      /^deploy in two steps: first without dublin-2's references to dublin-1 \(.*data-dublin-1.*; for S3 replication, leave that replication pair out of the config\), which deploys dublin-2 before dublin-1; then with them, deploying dublin-2 again$/,
    );
  });

  test('a stage outside Europe is a manual wave after the pipeline waves, with the reason', () => {
    const plan = planDeployment([
      shipper('interim-us', { account: '555555555555', region: 'us-east-1' }),
      shipper('dublin-1', DUBLIN_1),
      archive,
    ]);
    expect(
      planJson(plan).waves.map((wave) => [wave.index, wave.stages.map((s) => s.name), wave.manual]),
    ).toEqual([
      [1, ['monitoring'], undefined],
      [2, ['dublin-1'], undefined],
      [
        3,
        ['interim-us'],
        'us-east-1 is outside Europe: a pipeline deploying there would keep an artifact bucket in that region, so it is deployed by hand',
      ],
    ]);
  });

  test('a stage the pipeline deploys that needs one deployed by hand has no order', () => {
    const outside = { account: '555555555555', region: 'us-east-1' };
    const plan = planDeployment([shipper('dublin-1', DUBLIN_1), { ...archive, ...outside }]);
    expect(plan.waves).toEqual([]);
    expect(plan.blocked.map((b) => [b.stage, b.manualStage])).toEqual([['dublin-1', 'monitoring']]);
  });

  test('stacks of a stage follow the manifest dependencies; a stack defining a CodePipeline, and its support stacks, are the pipeline, not a wave', () => {
    const network = stack('dublin-1', 'Network', DUBLIN_1, {});
    const logging = { ...shipper('dublin-1', DUBLIN_1), dependsOn: ['Network'] };
    const tooling = { account: '666666666666', region: 'eu-west-1' };
    const pipeline = stack(
      '',
      'CloverPipeline',
      tooling,
      { Pipeline: { Type: 'AWS::CodePipeline::Pipeline' } },
      {
        dependsOn: ['cross-region-stack'],
      },
    );
    const support = stack('', 'cross-region-stack', { ...tooling, region: 'eu-north-1' }, {});
    const plan = planDeployment([logging, network, archive, pipeline, support]);
    expect(plan.waves[1].stages[0].stacks.map((s) => s.name)).toEqual(['Network', 'Logging']);
    expect(plan.pipelines).toEqual([
      { stack: 'CloverPipeline', account: '666666666666', region: 'eu-west-1' },
    ]);
    expect(plan.stages.map((s) => s.name)).toEqual(['dublin-1', 'monitoring']);
    expect(plan.prerequisites.find((p) => p.kind === 'bootstrap')?.description).toContain(
      '--trust 666666666666',
    );
  });
});

describe('prerequisites', () => {
  test('bootstrap once per account and Region, quotas over the default flagged, secrets that ask for put-secret-value', () => {
    const busy = stack(
      'dublin-1',
      'Network',
      DUBLIN_1,
      {
        ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`Vpc${n}`, { Type: 'AWS::EC2::VPC' }])),
        Token: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: {
            Name: 'clover/dublin-1/token',
            GenerateSecretString: {},
            Description: 'Operators put the real value (aws secretsmanager put-secret-value).',
          },
        },
        Generated: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: { Name: 'hmac', GenerateSecretString: {} },
        },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 20 } },
      },
      { bootstrapVersion: 6 },
    );
    const plan = planDeployment([busy, { ...busy, name: 'Data', template: { Resources: {} } }]);
    const kinds = plan.prerequisites.map((p) => p.kind);
    expect(kinds).toEqual(['bootstrap', 'quota', 'secret']);
    const [bootstrap, quota, secret] = plan.prerequisites.map((p) => p.description);
    expect(bootstrap).toMatch(
      /^bootstrap aws:\/\/111111111111\/eu-west-1 \(bootstrap stack version 6 or later\) trusting the pipeline account/,
    );
    expect(quota).toContain('VPCs 6 of 5 (more than the default: request an increase first)');
    expect(quota).toContain('Lambda reserved concurrency 20');
    expect(secret).toMatch(/^put the value of secret clover\/dublin-1\/token \(dublin-1\/Network\)/);
  });
});

describe('stacks at the top level', () => {
  test('are deploy units of their own, ordered by the dependencies their manifest records', () => {
    const first = stack('', 'Base', DUBLIN_1, {});
    const second = stack('', 'App', DUBLIN_1, {}, { dependsOn: ['Base'] });
    const plan = planDeployment([second, first]);
    expect(planJson(plan).waves.map((wave) => wave.stages.map((s) => s.name))).toEqual([['Base'], ['App']]);
    expect(plan.stages.map((s) => s.selector)).toEqual(['App', 'Base']);
    expect(planJson(plan).dependencies).toEqual([
      {
        from: 'App',
        to: 'Base',
        reference:
          'the manifest records a dependency (addDependency, or a cross-stack reference CDK resolved)',
      },
    ]);
  });
});
