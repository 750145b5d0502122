import { PUBLIC_ENDPOINT_SETTINGS } from '../../../../lib/audit/coverage/exposure';
import { RESOURCE_POLICY_PATHS } from '../../../../lib/audit/coverage/resource-policies';
import type { CfnTemplate } from '../../../../lib/audit/template';
import { findingsOf, messagesOf, resource, setAt } from '../../../helpers/rules';

const one = (type: string, properties: Record<string, unknown>): CfnTemplate => ({
  Resources: { Res: resource(type, properties) },
});
const ruleOn = (rule: string, template: CfnTemplate) =>
  findingsOf(template).filter((f) => f.rule === rule && f.resource === 'Res');

describe('CLV-ACC-4 public endpoints', () => {
  const cases = Object.entries(PUBLIC_ENDPOINT_SETTINGS).flatMap(([type, settings]) =>
    settings.map((setting) => [`${type} ${setting.property}`, type, setting] as const),
  );
  test.each(cases)('accepts %s set to keep the endpoint private', (_name, type, setting) => {
    expect(ruleOn('CLV-ACC-4', one(type, setAt({}, setting.property, setting.safe)))).toEqual([]);
  });
  test.each(cases)('rejects %s set to expose the endpoint', (_name, type, setting) => {
    expect(ruleOn('CLV-ACC-4', one(type, setAt({}, setting.property, setting.exposed[0])))).toHaveLength(1);
  });
  test.each(
    cases.filter(
      ([, , setting]) => setting.default !== undefined && setting.exposed.includes(setting.default),
    ),
  )('rejects %s when absent, because it is public by default', (_name, type) => {
    expect(ruleOn('CLV-ACC-4', one(type, {}))[0].message).toMatch(/not set \(default /);
  });

  test('rejects an application load balancer without Scheme (internet-facing by default); accepts internal ones and gateway load balancers', () => {
    const lb = (properties: Record<string, unknown>) =>
      one('AWS::ElasticLoadBalancingV2::LoadBalancer', properties);
    expect(ruleOn('CLV-ACC-4', lb({ Type: 'application' }))).toHaveLength(1);
    expect(ruleOn('CLV-ACC-4', lb({ Type: 'network', Scheme: 'internet-facing' }))).toHaveLength(1);
    expect(ruleOn('CLV-ACC-4', lb({ Type: 'application', Scheme: 'internal' }))).toEqual([]);
    expect(ruleOn('CLV-ACC-4', lb({ Type: 'gateway' }))).toEqual([]);
  });

  test('rejects an EKS API endpoint open to the internet by default; accepts a private one or own CIDRs', () => {
    const eks = (config: Record<string, unknown>) =>
      one('AWS::EKS::Cluster', {
        RoleArn: 'arn:aws:iam::111111111111:role/eks',
        ResourcesVpcConfig: { SubnetIds: ['subnet-1'], ...config },
      });
    expect(ruleOn('CLV-ACC-4', eks({}))[0].message).toMatch(/default true.*default 0\.0\.0\.0\/0/);
    expect(ruleOn('CLV-ACC-4', eks({ EndpointPublicAccess: false, EndpointPrivateAccess: true }))).toEqual(
      [],
    );
    expect(ruleOn('CLV-ACC-4', eks({ PublicAccessCidrs: ['203.0.113.0/24'] }))).toEqual([]);
  });

  test('rejects a search domain outside a VPC; accepts one with VPCOptions', () => {
    expect(ruleOn('CLV-ACC-4', one('AWS::OpenSearchService::Domain', {}))).toHaveLength(1);
    expect(
      ruleOn('CLV-ACC-4', one('AWS::Elasticsearch::Domain', { VPCOptions: { SubnetIds: ['subnet-1'] } })),
    ).toEqual([]);
  });

  test('rejects an OpenSearch Serverless network policy that allows public access, and public ECR repositories', () => {
    const policy = (allow: boolean) =>
      one('AWS::OpenSearchServerless::SecurityPolicy', {
        Name: 'net',
        Type: 'network',
        Policy: JSON.stringify([
          { Rules: [{ ResourceType: 'collection', Resource: ['collection/logs'] }], AllowFromPublic: allow },
        ]),
      });
    expect(ruleOn('CLV-ACC-4', policy(true))).toHaveLength(1);
    expect(ruleOn('CLV-ACC-4', policy(false))).toEqual([]);
    expect(ruleOn('CLV-ACC-4', one('AWS::ECR::PublicRepository', {}))).toHaveLength(1);
  });
});

describe('CLV-ACC-5 access without authentication', () => {
  test('rejects an identity pool that allows unauthenticated identities', () => {
    expect(
      ruleOn('CLV-ACC-5', one('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: true })),
    ).toHaveLength(1);
    expect(
      ruleOn('CLV-ACC-5', one('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false })),
    ).toEqual([]);
  });

  test('rejects a function URL with AuthType NONE and the permission that opens it', () => {
    expect(
      ruleOn(
        'CLV-ACC-5',
        one('AWS::Lambda::Url', {
          AuthType: 'NONE',
          TargetFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:f',
        }),
      ),
    ).toHaveLength(1);
    expect(
      ruleOn(
        'CLV-ACC-5',
        one('AWS::Lambda::Url', {
          AuthType: 'AWS_IAM',
          TargetFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:f',
        }),
      ),
    ).toEqual([]);
    const permission = (auth: string) =>
      one('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunctionUrl',
        FunctionName: 'f',
        Principal: '*',
        FunctionUrlAuthType: auth,
      });
    expect(ruleOn('CLV-ACC-5', permission('NONE'))).toHaveLength(1);
    expect(ruleOn('CLV-ACC-5', permission('AWS_IAM'))).toEqual([]);
  });

  test('rejects an API method without authorization, but not OPTIONS or a PRIVATE API', () => {
    const api = (types: string[]) =>
      resource('AWS::ApiGateway::RestApi', { Name: 'api', EndpointConfiguration: { Types: types } });
    const method = (httpMethod: string, auth?: string) =>
      resource('AWS::ApiGateway::Method', {
        RestApiId: { Ref: 'Api' },
        ResourceId: 'abc',
        HttpMethod: httpMethod,
        ...(auth ? { AuthorizationType: auth } : {}),
      });
    const methods = (types: string[], m: ReturnType<typeof method>) =>
      findingsOf({ Resources: { Api: api(types), Res: m } }).filter((f) => f.rule === 'CLV-ACC-5');
    expect(methods(['REGIONAL'], method('GET'))).toHaveLength(1);
    expect(methods(['REGIONAL'], method('GET', 'AWS_IAM'))).toEqual([]);
    expect(methods(['REGIONAL'], method('OPTIONS'))).toEqual([]);
    expect(methods(['PRIVATE'], method('GET'))).toEqual([]);
  });

  test('rejects an HTTP API route without authorization', () => {
    expect(
      ruleOn('CLV-ACC-5', one('AWS::ApiGatewayV2::Route', { ApiId: 'a', RouteKey: 'GET /users' })),
    ).toHaveLength(1);
    expect(
      ruleOn(
        'CLV-ACC-5',
        one('AWS::ApiGatewayV2::Route', { ApiId: 'a', RouteKey: 'GET /users', AuthorizationType: 'JWT' }),
      ),
    ).toEqual([]);
  });

  test('judges the operations of an OpenAPI body: an authorizer, IAM or a JWT passes; none, an API key alone or an optional {} fails', () => {
    const body = (security: unknown, schemes: Record<string, unknown> = {}) => ({
      openapi: '3.0.1',
      paths: { '/items': { get: { ...(security === undefined ? {} : { security }) }, options: {} } },
      components: {
        securitySchemes: {
          sigv4: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
          key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
          jwt: { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt' } },
          ...schemes,
        },
      },
    });
    const rest = (b: unknown, types = ['REGIONAL']) =>
      ruleOn(
        'CLV-ACC-5',
        one('AWS::ApiGateway::RestApi', { Body: b, EndpointConfiguration: { Types: types } }),
      );
    expect(rest(body(undefined)).map((f) => f.message)).toEqual([
      expect.stringMatching(/^GET \/items in the OpenAPI Body has no security requirement/),
    ]);
    expect(rest(body([{ key: [] }]))).toHaveLength(1);
    expect(rest(body([{ sigv4: [] }, {}]))).toHaveLength(1);
    expect(rest(body([{ sigv4: [] }]))).toEqual([]);
    expect(rest(JSON.stringify(body([{ sigv4: [] }, { key: [], jwt: [] }])))).toEqual([]);
    expect(rest(body(undefined), ['PRIVATE'])).toEqual([]);
    const http = (properties: Record<string, unknown>) =>
      ruleOn('CLV-ACC-5', one('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', ...properties }));
    expect(http({ Body: body([{ jwt: ['read'] }]) })).toEqual([]);
    expect(http({ Target: 'arn:aws:lambda:eu-west-1:111111111111:function:f' })).toHaveLength(1);
  });
});

describe('CLV-ACC-6 long-lived access keys', () => {
  test('rejects an IAM user access key (active by default), not an inactive one', () => {
    expect(ruleOn('CLV-ACC-6', one('AWS::IAM::AccessKey', { UserName: 'ci' }))).toHaveLength(1);
    expect(ruleOn('CLV-ACC-6', one('AWS::IAM::AccessKey', { UserName: 'ci', Status: 'Inactive' }))).toEqual(
      [],
    );
  });
});

describe('CLV-ACC-7 cross-account and identity-provider trust', () => {
  const role = (principal: unknown, condition?: Record<string, unknown>, action = 'sts:AssumeRole') =>
    one('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: principal,
            Action: action,
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      },
      PermissionsBoundary: 'arn:aws:iam::111111111111:policy/boundary',
    });
  const trust = (template: CfnTemplate, options = {}) =>
    findingsOf(template, options)
      .filter((f) => f.rule === 'CLV-ACC-7')
      .map((f) => f.message);

  test('rejects another account’s root without an external ID or principal condition', () => {
    expect(trust(role({ AWS: 'arn:aws:iam::222222222222:root' }))).toEqual([
      expect.stringMatching(/lets account 222222222222 assume the role with no sts:ExternalId/),
    ]);
    expect(trust(role({ AWS: '222222222222' }))).toHaveLength(1);
  });

  test.each([
    ['an sts:ExternalId', { StringEquals: { 'sts:ExternalId': 'agreed' } }],
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }],
    ['aws:PrincipalArn', { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/deployer' } }],
    ['a principal tag', { StringEquals: { 'aws:PrincipalTag/team': 'audit' } }],
  ])('accepts another account with %s', (_name, condition) => {
    expect(trust(role({ AWS: 'arn:aws:iam::222222222222:root' }, condition))).toEqual([]);
  });

  test('does not accept an IfExists condition as pinning the principal', () => {
    expect(
      trust(
        role({ AWS: 'arn:aws:iam::222222222222:root' }, { StringEqualsIfExists: { 'sts:ExternalId': 'x' } }),
      ),
    ).toHaveLength(1);
  });

  test('leaves the stack’s own account alone, written literally or as AWS::AccountId', () => {
    expect(trust(role({ AWS: 'arn:aws:iam::111111111111:root' }))).toEqual([]);
    expect(trust(role({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }))).toEqual(
      [],
    );
    expect(
      trust(role({ AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } }), {
        account: undefined,
      }),
    ).toEqual([]);
  });

  test('leaves a role of the same template alone: a reference names a principal of this account (CDK Pipelines action roles)', () => {
    const template = role({ AWS: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] } });
    (template.Resources as Record<string, unknown>).PipelineRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'codepipeline.amazonaws.com' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    };
    expect(trust(template)).toEqual([]);
  });

  test('rejects an account given by a parameter without a value: it cannot be proven to be this one', () => {
    const template = { Parameters: { Trusted: { Type: 'String' } }, ...role({ AWS: { Ref: 'Trusted' } }) };
    expect(trust(template)).toEqual([expect.stringMatching(/cannot be proven to be this one/)]);
  });

  test('rejects web-identity trust without a sub condition, accepts it with one', () => {
    const github = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const web = 'sts:AssumeRoleWithWebIdentity';
    expect(
      trust(
        role(
          { Federated: github },
          { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
          web,
        ),
      ),
    ).toEqual([
      expect.stringMatching(/any user of identity provider token\.actions\.githubusercontent\.com/),
    ]);
    expect(
      trust(
        role(
          { Federated: github },
          { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:*' } },
          web,
        ),
      ),
    ).toEqual([]);
    expect(trust(role({ Federated: 'cognito-identity.amazonaws.com' }, undefined, web))).toHaveLength(1);
    expect(
      trust(
        role(
          { Federated: 'cognito-identity.amazonaws.com' },
          { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'eu-west-1:pool' } },
          web,
        ),
      ),
    ).toEqual([]);
  });
});

describe('CLV-ACC-2 resource policies of every registry type that has one', () => {
  const open = (condition?: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: '*',
        Resource: '*',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
  const cases = Object.entries(RESOURCE_POLICY_PATHS).flatMap(([type, paths]) =>
    paths.map((path) => [`${type} ${path}`, type, path] as const),
  );
  test.each(cases)('rejects %s allowing every principal', (_name, type, path) => {
    expect(messagesOf('CLV-ACC-2', one(type, setAt({}, path, open())))).toEqual([
      expect.stringMatching(/^Res: .*allows \* to every principal/),
    ]);
  });
  test.each(cases)('accepts %s when a condition pins the caller’s account', (_name, type, path) => {
    const pinned = open({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } });
    expect(messagesOf('CLV-ACC-2', one(type, setAt({}, path, pinned)))).toEqual([]);
  });
  test('reads a policy written as JSON text', () => {
    expect(
      messagesOf('CLV-ACC-2', one('AWS::Logs::Destination', { DestinationPolicy: JSON.stringify(open()) })),
    ).toHaveLength(1);
  });
});
