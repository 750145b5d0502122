import type { CfnTemplate } from '../../../lib/audit/template';
import { expandTransforms, TemplateTransformError } from '../../../lib/audit/transforms';
import { mergeGlobal } from '../../../lib/audit/transforms/sam';
import { validateTemplate } from '../../helpers/nag';
import { findingsOf } from '../../helpers/rules';

const SAM = 'AWS::Serverless-2016-10-31';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;

function expand(resources: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const { template, incomplete } = expandTransforms(
    { Transform: SAM, ...extra, Resources: resources },
    { region: 'eu-west-1' },
  );
  return {
    resources: template.Resources as Resources,
    template: template as unknown as CfnTemplate,
    incomplete,
  };
}

const rulesOn = (template: CfnTemplate, resource: string) =>
  findingsOf(template)
    .filter((finding) => finding.resource === resource)
    .map((finding) => finding.rule)
    .sort();

const fn = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::Serverless::Function',
  Properties: {
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    CodeUri: 's3://code/app.zip',
    ...properties,
  },
});

describe('AWS::Serverless::Function', () => {
  test('the execution role carries managed policies, policy templates with their parameters, and statements', () => {
    const { resources, incomplete } = expand({
      Bucket: { Type: 'AWS::S3::Bucket' },
      Worker: fn({
        Policies: [
          'AmazonSQSReadOnlyAccess',
          { S3ReadPolicy: { BucketName: { Ref: 'Bucket' } } },
          { Statement: [{ Effect: 'Allow', Action: 'ec2:CreateRoute', Resource: '*' }] },
        ],
        Tracing: 'Active',
      }),
    });
    expect(incomplete).toEqual([]);
    expect(resources.Worker).toMatchObject({
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: 'code', S3Key: 'app.zip' },
        Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] },
        TracingConfig: { Mode: 'Active' },
      },
    });
    const role = resources.WorkerRole.Properties;
    // SAM's order: the basic execution role, X-Ray for tracing, then the function's own.
    expect(role.ManagedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
      'arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess',
    ]);
    expect(role.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
    });
    const [template, statement] = role.Policies as Array<{
      PolicyName: string;
      PolicyDocument: { Statement: unknown[] };
    }>;
    expect(template.PolicyName).toBe('WorkerRolePolicy1');
    expect(JSON.stringify(template.PolicyDocument)).toContain('"s3:GetObject"');
    // The template's BucketName placeholder is the value the function gave it.
    expect(JSON.stringify(template.PolicyDocument)).toContain('{"bucketName":{"Ref":"Bucket"}}');
    expect(statement.PolicyName).toBe('WorkerRolePolicy2');
  });

  test('the generated role is judged like a hand-written one: a route-writing grant is CLV-NET-10', () => {
    const { template } = expand({
      Worker: fn({
        Policies: [{ Statement: [{ Effect: 'Allow', Action: 'ec2:CreateRoute', Resource: '*' }] }],
      }),
    });
    expect(rulesOn(template, 'Worker')).toContain('CLV-NET-10');
  });

  test('a policy template without its parameters is refused, naming them', () => {
    expect(() => expand({ Worker: fn({ Policies: [{ S3ReadPolicy: {} }] }) })).toThrow(
      /policy template S3ReadPolicy needs BucketName/,
    );
    expect(() => expand({ Worker: fn({ Policies: [{ S3ReadPolicy: {} }] }) })).toThrow(
      TemplateTransformError,
    );
  });

  test('an unknown policy template is noted, not guessed', () => {
    const { incomplete } = expand({ Worker: fn({ Policies: [{ AcmeSpecialPolicy: { Name: 'x' } }] }) });
    expect(incomplete[0].reason).toMatch(/Policies\[0\] .* not judged/);
  });

  test('Globals merge into every function: maps key by key, lists concatenated, the function wins', () => {
    expect(
      mergeGlobal(
        { Environment: { Variables: { A: '1', B: '1' } }, Layers: ['l1'], Timeout: 3 },
        { Environment: { Variables: { B: '2' } }, Layers: ['l2'], Timeout: 10 },
      ),
    ).toEqual({ Environment: { Variables: { A: '1', B: '2' } }, Layers: ['l1', 'l2'], Timeout: 10 });
    const { resources } = expand(
      { Worker: fn({ Environment: { Variables: { B: '2' } } }) },
      {
        Globals: {
          Function: {
            Environment: { Variables: { A: '1' } },
            KmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
          },
        },
      },
    );
    expect(resources.Worker.Properties).toMatchObject({
      Environment: { Variables: { A: '1', B: '2' } },
      KmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
    });
  });

  test('a function URL without authentication is CLV-ACC-5; an SQS event polls with the managed policy SAM adds', () => {
    const { resources, template } = expand({
      Queue: { Type: 'AWS::SQS::Queue' },
      Worker: fn({
        FunctionUrlConfig: { AuthType: 'NONE' },
        Events: {
          Jobs: { Type: 'SQS', Properties: { Queue: { 'Fn::GetAtt': ['Queue', 'Arn'] }, BatchSize: 5 } },
        },
      }),
    });
    expect(rulesOn(template, 'WorkerUrl')).toEqual(['CLV-ACC-5']);
    expect(resources.WorkerJobs).toEqual({
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        FunctionName: { Ref: 'Worker' },
        EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        BatchSize: 5,
      },
    });
    expect(resources.WorkerRole.Properties.ManagedPolicyArns).toContain(
      'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
    );
  });

  test('a CloudWatch Logs event becomes the subscription filter and the permission logs needs', () => {
    const { resources } = expand({
      Shipper: fn({
        Events: {
          Flow: { Type: 'CloudWatchLogs', Properties: { LogGroupName: '/vpc/flow', FilterPattern: '' } },
        },
      }),
    });
    expect(resources.ShipperFlow).toMatchObject({
      Type: 'AWS::Logs::SubscriptionFilter',
      Properties: { LogGroupName: '/vpc/flow', DestinationArn: { 'Fn::GetAtt': ['Shipper', 'Arn'] } },
      DependsOn: ['ShipperFlowPermission'],
    });
    expect(resources.ShipperFlowPermission.Properties).toMatchObject({ Principal: 'logs.amazonaws.com' });
  });
});

describe('SAM APIs', () => {
  const api = (auth?: Record<string, unknown>) =>
    expand({
      Reader: fn({
        Events: {
          List: {
            Type: 'Api',
            Properties: { Path: '/items/{id}', Method: 'get', ...(auth ? { Auth: auth } : {}) },
          },
        },
      }),
    });

  test('an implicit REST API without Auth is edge-optimized (CLV-RES-8) and open to anyone (CLV-ACC-5)', () => {
    const { resources, template } = api();
    expect(Object.keys(resources).sort()).toEqual([
      'Reader',
      'ReaderListPermissionProd',
      'ReaderRole',
      'ServerlessRestApi',
      expect.stringMatching(/^ServerlessRestApiDeployment[0-9a-f]{10}$/),
      'ServerlessRestApiProdStage',
    ]);
    expect(rulesOn(template, 'ServerlessRestApi')).toEqual(['CLV-ACC-5', 'CLV-RES-8']);
    expect(findingsOf(template).find((f) => f.rule === 'CLV-ACC-5')?.message).toMatch(
      /^GET \/items\/\{id\} in the OpenAPI Body/,
    );
    expect(resources.ReaderListPermissionProd.Properties.SourceArn).toEqual({
      'Fn::Sub': [
        'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/GET/items/*',
        { __ApiId__: { Ref: 'ServerlessRestApi' }, __Stage__: '*' },
      ],
    });
  });

  test('a regional API whose routes need IAM passes both rules', () => {
    const { template } = expand({
      Api: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'v1',
          EndpointConfiguration: 'REGIONAL',
          Auth: { DefaultAuthorizer: 'AWS_IAM' },
        },
      },
      Reader: fn({
        Events: {
          List: { Type: 'Api', Properties: { RestApiId: { Ref: 'Api' }, Path: '/items', Method: 'get' } },
        },
      }),
    });
    expect(rulesOn(template, 'Api')).toEqual([]);
    expect(template.Resources.Apiv1Stage).toMatchObject({
      Type: 'AWS::ApiGateway::Stage',
      Properties: { StageName: 'v1' },
    });
  });

  test('a usage plan and a PRIVATE custom domain, which this build does not expand, are noted', () => {
    const api = (properties: Record<string, unknown>) => ({
      Type: 'AWS::Serverless::Api',
      Properties: { StageName: 'v1', EndpointConfiguration: 'REGIONAL', ...properties },
    });
    const { incomplete } = expand({
      Shared: api({ Auth: { ApiKeyRequired: true, UsagePlan: { CreateUsagePlan: 'SHARED' } } }),
      Plain: api({ Auth: { UsagePlan: { CreateUsagePlan: 'NONE' } } }),
      Private: api({
        Domain: {
          DomainName: 'api.example.eu',
          CertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
          EndpointConfiguration: 'PRIVATE',
        },
      }),
    });
    expect(incomplete.map((note) => note.reason)).toEqual([
      expect.stringMatching(/^Shared: Auth\.UsagePlan \(CreateUsagePlan SHARED\) makes SAM add an API key/),
      expect.stringMatching(
        /^Private: a PRIVATE custom domain makes SAM add an AWS::ApiGateway::DomainNameV2/,
      ),
    ]);
  });

  test('an HTTP API route with a JWT authorizer passes; one without is CLV-ACC-5', () => {
    const { template } = expand({
      Http: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Auth: {
            DefaultAuthorizer: 'Jwt',
            Authorizers: {
              Jwt: {
                JwtConfiguration: { issuer: 'https://id.example.eu', audience: ['app'] },
                IdentitySource: '$request.header.Authorization',
              },
            },
          },
        },
      },
      Reader: fn({
        Events: {
          Private: { Type: 'HttpApi', Properties: { ApiId: { Ref: 'Http' }, Path: '/me', Method: 'GET' } },
          Public: {
            Type: 'HttpApi',
            Properties: {
              ApiId: { Ref: 'Http' },
              Path: '/health',
              Method: 'GET',
              Auth: { Authorizer: 'NONE' },
            },
          },
        },
      }),
    });
    expect(
      findingsOf(template)
        .filter((f) => f.rule === 'CLV-ACC-5')
        .map((f) => f.message.split(' in ')[0]),
    ).toEqual(['GET /health']);
  });
});

describe('other SAM types', () => {
  test('a SimpleTable is a DynamoDB table with SAM’s defaults, judged for its key (CLV-ENC-2)', () => {
    const { resources, template } = expand({ Table: { Type: 'AWS::Serverless::SimpleTable' } });
    expect(resources.Table).toEqual({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    });
    expect(rulesOn(template, 'Table')).toContain('CLV-ENC-2');
  });

  test('a state machine gets its role and, for a schedule, a rule with the role it starts executions with', () => {
    const { resources } = expand({
      Flow: {
        Type: 'AWS::Serverless::StateMachine',
        Properties: {
          Definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
          Policies: [{ LambdaInvokePolicy: { FunctionName: 'worker' } }],
          Events: { Nightly: { Type: 'Schedule', Properties: { Schedule: 'rate(1 day)' } } },
        },
      },
    });
    expect(resources.Flow.Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['FlowRole', 'Arn'] });
    expect(JSON.stringify(resources.FlowRole.Properties.Policies)).toContain('lambda:InvokeFunction');
    expect(resources.FlowNightly.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { Ref: 'Flow' },
        RoleArn: { 'Fn::GetAtt': ['FlowNightlyRole', 'Arn'] },
      }),
    ]);
  });

  test('a layer version is retained by default; an Application stays a nested stack, noted as not judged', () => {
    const { resources, incomplete } = expand({
      Layer: { Type: 'AWS::Serverless::LayerVersion', Properties: { ContentUri: 's3://code/layer.zip' } },
      Nested: {
        Type: 'AWS::Serverless::Application',
        Properties: {
          Location: {
            ApplicationId: 'arn:aws:serverlessrepo:eu-west-1:111111111111:applications/app',
            SemanticVersion: '1.0.0',
          },
        },
      },
    });
    expect(resources.Layer).toMatchObject({ Type: 'AWS::Lambda::LayerVersion', DeletionPolicy: 'Retain' });
    expect(resources.Nested.Type).toBe('AWS::Serverless::Application');
    expect(incomplete).toEqual([
      expect.objectContaining({
        resource: 'Nested',
        reason: expect.stringMatching(/nested stack .* not judged/),
      }),
    ]);
  });
});

describe('at synth', () => {
  test('CloverChecks judges a CDK stack with the SAM transform as clover audit does: expanded first', () => {
    const { findings } = validateTemplate({
      Transform: SAM,
      Resources: { Table: { Type: 'AWS::Serverless::SimpleTable' } },
    } as unknown as CfnTemplate);
    expect(
      findings.filter((finding) => finding.resource === 'Table').map((finding) => finding.rule),
    ).toContain('CLV-ENC-2');
  });
});
