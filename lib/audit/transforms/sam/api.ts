/**
 * `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`, explicit or implicit
 * (`ServerlessRestApi`, `ServerlessHttpApi` for events that name no API):
 * the API with its OpenAPI body (the routes of the events, their
 * integrations and authorizers, as SAM writes them), deployment, stage,
 * custom domain, and the permissions that let API Gateway call functions
 * and authorizers. Pure.
 */
import { isObject } from '../../values';
import type { FunctionTarget } from './target';
import {
  arnOf,
  inlinePolicy,
  Json,
  mainAttributes,
  ref,
  s3Location,
  SamEvent,
  SamExpansion,
  SamResource,
  serviceTrust,
  shortHash,
  sub,
  withoutUndefined,
} from './model';

export const IMPLICIT_REST_API = 'ServerlessRestApi';
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

const SAM_API_TYPE = 'AWS::Serverless::Api';
const SAM_HTTP_API_TYPE = 'AWS::Serverless::HttpApi';

interface ApiState {
  readonly from: SamResource;
  readonly http: boolean;
  /** Routes added by events: path → method → operation. */
  readonly paths: Record<string, Record<string, Json>>;
  /** Functions with the `$default` route of any method (an HTTP API). */
  readonly defaultRouteFunctions: Set<string>;
}

/** A route SAM adds to an API for one event. */
interface Route {
  readonly event: SamEvent;
  readonly id: string;
  readonly from: SamResource;
  readonly integration: Json;
  /** Adds the permission (functions) the route needs, given the API and the method and path. */
  readonly permit?: (api: string, stageSuffix: string, method: string, path: string) => void;
}

/** The API an event names: `!Ref MyApi`, or (SAM accepts it) the logical ID as a string. */
function apiIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
}

/** The path as an execute-api ARN segment: `{id}` parameters become `*`. */
function arnPath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '*');
}

/** Every API of the template; events add routes, then {@link write} writes them all. */
export class ApiRegistry {
  private readonly apis = new Map<string, ApiState>();
  /** Permissions to add once every route is known. */
  private readonly pending: Array<() => void> = [];

  constructor(
    private readonly expansion: SamExpansion,
    resources: readonly SamResource[],
    private readonly globals: { readonly Api?: Json; readonly HttpApi?: Json },
  ) {
    for (const resource of resources) {
      if (resource.type === SAM_API_TYPE || resource.type === SAM_HTTP_API_TYPE)
        this.apis.set(resource.logicalId, {
          from: resource,
          http: resource.type === SAM_HTTP_API_TYPE,
          paths: {},
          defaultRouteFunctions: new Set(),
        });
    }
  }

  public addFunctionRoute(event: SamEvent, id: string, target: FunctionTarget): void {
    const http = event.type === 'HttpApi';
    const p = event.properties;
    const integration: Json = http
      ? withoutUndefined({
          httpMethod: 'POST',
          type: 'aws_proxy',
          uri: sub(
            'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Target}/invocations',
            { Target: target.arn },
          ),
          payloadFormatVersion: p.PayloadFormatVersion ?? '2.0',
          timeoutInMillis: p.TimeoutInMillis,
        })
      : withoutUndefined({
          type: 'aws_proxy',
          httpMethod: 'POST',
          uri: sub(
            'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Target}/invocations',
            { Target: target.arn },
          ),
          timeoutInMillis: p.TimeoutInMillis,
        });
    this.addRoute({
      event,
      id,
      from: target.from,
      integration,
      permit: (api, stageSuffix, method, path) => {
        // The permission of a function's $default route covers its other routes of the API: SAM adds no other.
        if (
          http &&
          path !== '$default' &&
          this.apis.get(api)?.defaultRouteFunctions.has(target.from.logicalId)
        )
          return;
        const resourcePath =
          path === '$default' ? '*' : `${method === 'ANY' ? '*' : method.toUpperCase()}${arnPath(path)}`;
        this.expansion.add(
          `${id}Permission${http ? '' : stageSuffix}`,
          this.expansion.resource(
            'AWS::Lambda::Permission',
            {
              Action: 'lambda:InvokeFunction',
              FunctionName: target.name,
              Principal: 'apigateway.amazonaws.com',
              SourceArn: sub(
                `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/\${__Stage__}/${resourcePath}`,
                { __ApiId__: ref(api), __Stage__: '*' },
              ),
            },
            target.from,
          ),
          target.from,
        );
      },
    });
  }

  /** A state machine's Api event: StartExecution through a role API Gateway assumes. */
  public addStateMachineRoute(event: SamEvent, id: string, from: SamResource): void {
    const role = `${id}Role`;
    this.expansion.add(
      role,
      this.expansion.resource(
        'AWS::IAM::Role',
        {
          AssumeRolePolicyDocument: serviceTrust('apigateway.amazonaws.com'),
          Policies: [
            inlinePolicy(`${role}StartExecutionPolicy`, 'states:StartExecution', ref(from.logicalId)),
          ],
        },
        from,
      ),
      from,
    );
    this.addRoute({
      event,
      id,
      from,
      integration: {
        type: 'aws',
        httpMethod: 'POST',
        uri: sub('arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution'),
        credentials: arnOf(role),
        responses: { '200': { statusCode: '200' }, '400': { statusCode: '400' } },
      },
    });
  }

  private addRoute(route: Route): void {
    const http = route.event.type === 'HttpApi';
    const p = route.event.properties;
    const apiId = apiIdOf(http ? p.ApiId : p.RestApiId) ?? (http ? IMPLICIT_HTTP_API : IMPLICIT_REST_API);
    const api = this.apiState(apiId, http, route.from);
    if (!api) {
      this.expansion.note(
        route.from,
        `${route.from.logicalId}: event ${route.event.name} names API ${JSON.stringify(http ? p.ApiId : p.RestApiId)}, which is not a SAM API of this template, so its route is not judged`,
      );
      return;
    }
    const path = typeof p.Path === 'string' ? p.Path : http ? '$default' : '/';
    const method = typeof p.Method === 'string' ? p.Method.toUpperCase() : 'ANY';
    const operation: Json = { 'x-amazon-apigateway-integration': route.integration, responses: {} };
    const security = this.securityOf(api, route.event);
    if (security) operation.security = security;
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
    api.paths[path] = { ...api.paths[path], [key]: operation };
    if (path === '$default' && method === 'ANY') api.defaultRouteFunctions.add(route.from.logicalId);
    const permit = route.permit;
    if (permit) this.pending.push(() => permit(apiId, this.stageSuffix(api), method, path));
  }

  private apiState(apiId: string, http: boolean, from: SamResource): ApiState | undefined {
    const known = this.apis.get(apiId);
    if (known) return known.http === http ? known : undefined;
    if (apiId !== IMPLICIT_REST_API && apiId !== IMPLICIT_HTTP_API) return undefined;
    // The implicit API takes the Globals of its type and SAM's default stage.
    const globals = (http ? this.globals.HttpApi : this.globals.Api) ?? {};
    const state: ApiState = {
      from: {
        logicalId: apiId,
        type: http ? SAM_HTTP_API_TYPE : SAM_API_TYPE,
        properties: http ? { ...globals } : { ...globals, StageName: 'Prod' },
        json: from.json.Condition !== undefined ? { Condition: from.json.Condition } : {},
      },
      http,
      paths: {},
      defaultRouteFunctions: new Set(),
    };
    this.apis.set(apiId, state);
    return state;
  }

  private stageSuffix(api: ApiState): string {
    const stage = api.from.properties.StageName;
    return typeof stage === 'string' ? stage : 'Stage';
  }

  /** The OpenAPI security requirement of an event's route: its authorizer, else the API's default; API keys too. */
  private securityOf(api: ApiState, event: SamEvent): Json[] | undefined {
    const apiAuth = isObject(api.from.properties.Auth) ? api.from.properties.Auth : {};
    const eventAuth = isObject(event.properties.Auth) ? event.properties.Auth : {};
    const authorizer = this.expansion.literal(eventAuth.Authorizer ?? apiAuth.DefaultAuthorizer);
    const requirements: Json[] = [];
    if (typeof authorizer === 'string' && authorizer !== 'NONE') {
      const scopes =
        eventAuth.AuthorizationScopes ??
        (isObject(apiAuth.Authorizers) && isObject(apiAuth.Authorizers[authorizer])
          ? apiAuth.Authorizers[authorizer].AuthorizationScopes
          : undefined);
      requirements.push({ [authorizer]: Array.isArray(scopes) ? scopes : [] });
    }
    if (!api.http && (eventAuth.ApiKeyRequired ?? apiAuth.ApiKeyRequired) === true)
      requirements.push({ api_key: [] });
    return requirements.length ? requirements : undefined;
  }

  /** Writes every API that exists (explicit ones, and implicit ones some event created). */
  public write(): void {
    for (const permit of this.pending) permit();
    for (const [logicalId, api] of this.apis) {
      if (api.http) this.writeHttpApi(logicalId, api);
      else this.writeRestApi(logicalId, api);
    }
  }

  private body(api: ApiState, generated: Json): { body?: unknown; s3?: Json } {
    const p = api.from.properties;
    if (p.DefinitionBody !== undefined) {
      if (p.MergeDefinitions === true && isObject(p.DefinitionBody)) {
        const given = p.DefinitionBody;
        return {
          body: {
            ...given,
            paths: { ...(isObject(given.paths) ? given.paths : {}), ...(generated.paths as Json) },
          },
        };
      }
      return { body: p.DefinitionBody };
    }
    if (p.DefinitionUri !== undefined) {
      const location = s3Location(p.DefinitionUri, { bucket: 'Bucket', key: 'Key', version: 'Version' });
      this.expansion.note(
        api.from,
        `${api.from.logicalId}: the OpenAPI definition is in ${typeof p.DefinitionUri === 'string' ? p.DefinitionUri : 'S3'} (DefinitionUri), so its routes and their authorization are not judged`,
      );
      return { s3: location };
    }
    return { body: generated };
  }

  private writeRestApi(logicalId: string, api: ApiState): void {
    const p = api.from.properties;
    const auth = isObject(p.Auth) ? p.Auth : {};
    const generated: Json = {
      swagger: '2.0',
      info: { version: '1.0', title: ref('AWS::StackName') },
      paths: api.paths,
    };
    const definitions = this.restSecurityDefinitions(logicalId, api, auth);
    if (Object.keys(definitions).length) generated.securityDefinitions = definitions;
    const usagePlan = isObject(auth.UsagePlan) ? auth.UsagePlan.CreateUsagePlan : undefined;
    if (usagePlan !== undefined && usagePlan !== 'NONE') {
      this.expansion.note(
        api.from,
        `${logicalId}: Auth.UsagePlan (CreateUsagePlan ${typeof usagePlan === 'string' ? usagePlan : JSON.stringify(usagePlan)}) makes SAM add an API key, a usage plan and a usage plan key, which this build does not expand, so they are not judged`,
      );
    }
    const { body, s3 } = this.body(api, generated);
    const endpoint = endpointConfiguration(p.EndpointConfiguration);
    this.expansion.add(
      logicalId,
      {
        Type: 'AWS::ApiGateway::RestApi',
        Properties: withoutUndefined({
          Body: body,
          BodyS3Location: s3,
          Name: p.Name,
          EndpointConfiguration: endpoint,
          Parameters: endpoint ? { endpointConfigurationTypes: (endpoint.Types as unknown[])[0] } : undefined,
          BinaryMediaTypes: p.BinaryMediaTypes,
          MinimumCompressionSize: p.MinimumCompressionSize,
          Policy: this.resourcePolicy(api, auth),
          Mode: p.Mode,
          ApiKeySourceType: p.ApiKeySourceType,
          DisableExecuteApiEndpoint: p.DisableExecuteApiEndpoint,
          FailOnWarnings: p.FailOnWarnings,
        }),
        ...mainAttributes(api.from),
      },
      api.from,
    );
    const hash = shortHash(body ?? s3);
    const deployment = `${logicalId}Deployment${hash}`;
    this.expansion.add(
      deployment,
      this.expansion.resource(
        'AWS::ApiGateway::Deployment',
        {
          RestApiId: ref(logicalId),
          Description: `RestApi deployment id: ${hash}`,
          StageName: p.OpenApiVersion === undefined ? 'Stage' : undefined,
        },
        api.from,
      ),
      api.from,
    );
    const stage = `${logicalId}${this.stageSuffix(api)}Stage`;
    this.expansion.add(
      stage,
      this.expansion.resource(
        'AWS::ApiGateway::Stage',
        {
          RestApiId: ref(logicalId),
          DeploymentId: ref(deployment),
          StageName: p.StageName,
          Variables: p.Variables,
          CacheClusterEnabled: p.CacheClusterEnabled,
          CacheClusterSize: p.CacheClusterSize,
          MethodSettings: p.MethodSettings,
          AccessLogSetting: p.AccessLogSetting,
          TracingEnabled: p.TracingEnabled,
          CanarySetting: p.CanarySetting,
          Tags: isObject(p.Tags) ? Object.entries(p.Tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
        },
        api.from,
      ),
      api.from,
    );
    this.expansion.referable.set(`${logicalId}.Stage`, stage);
    this.expansion.referable.set(`${logicalId}.Deployment`, deployment);
    if (isObject(p.Domain)) this.writeRestDomain(logicalId, api, p.Domain, stage);
  }

  /** securityDefinitions for the API's authorizers (and their permissions), IAM and API keys. */
  private restSecurityDefinitions(logicalId: string, api: ApiState, auth: Json): Json {
    const definitions: Json = {};
    const authorizers = isObject(auth.Authorizers) ? auth.Authorizers : {};
    for (const [name, authorizer] of Object.entries(authorizers)) {
      if (!isObject(authorizer)) continue;
      const identity = isObject(authorizer.Identity) ? authorizer.Identity : {};
      const header = typeof identity.Header === 'string' ? identity.Header : 'Authorization';
      if (authorizer.UserPoolArn !== undefined) {
        definitions[name] = {
          type: 'apiKey',
          name: header,
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': {
            type: 'cognito_user_pools',
            providerARNs: Array.isArray(authorizer.UserPoolArn)
              ? authorizer.UserPoolArn
              : [authorizer.UserPoolArn],
          },
        };
      } else if (authorizer.FunctionArn !== undefined) {
        definitions[name] = {
          type: 'apiKey',
          name: header,
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: authorizer.FunctionPayloadType === 'REQUEST' ? 'request' : 'token',
            authorizerUri: sub(
              'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations',
              { __FunctionArn__: authorizer.FunctionArn },
            ),
          },
        };
        if (authorizer.DisableFunctionDefaultPermissions !== true)
          this.authorizerPermission(logicalId, name, api.from, authorizer.FunctionArn);
      }
    }
    if (auth.DefaultAuthorizer === 'AWS_IAM' || JSON.stringify(api.paths).includes('"AWS_IAM"')) {
      definitions.AWS_IAM = {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      };
    }
    if (JSON.stringify(api.paths).includes('"api_key"'))
      definitions.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    return definitions;
  }

  private authorizerPermission(api: string, name: string, from: SamResource, functionArn: unknown): void {
    this.expansion.add(
      `${api}${name}AuthorizerPermission`,
      this.expansion.resource(
        'AWS::Lambda::Permission',
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: functionArn,
          Principal: 'apigateway.amazonaws.com',
          SourceArn: sub(
            'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*',
            { __ApiId__: ref(api) },
          ),
        },
        from,
      ),
      from,
    );
  }

  /** `Auth.ResourcePolicy.CustomStatements` as the API's policy; SAM's shorthand lists are noted, not guessed. */
  private resourcePolicy(api: ApiState, auth: Json): unknown {
    const policy = isObject(auth.ResourcePolicy) ? auth.ResourcePolicy : undefined;
    if (!policy) return undefined;
    const shorthand = Object.keys(policy).filter((key) => key !== 'CustomStatements');
    if (shorthand.length) {
      this.expansion.note(
        api.from,
        `${api.from.logicalId}: Auth.ResourcePolicy ${shorthand.join(', ')} is not expanded by this build, so that part of the API's resource policy is not judged`,
      );
    }
    if (policy.CustomStatements === undefined) return undefined;
    return {
      Version: '2012-10-17',
      Statement: Array.isArray(policy.CustomStatements) ? policy.CustomStatements : [policy.CustomStatements],
    };
  }

  private writeRestDomain(logicalId: string, api: ApiState, domain: Json, stage: string): void {
    const type = typeof domain.EndpointConfiguration === 'string' ? domain.EndpointConfiguration : 'REGIONAL';
    if (type === 'PRIVATE') {
      this.expansion.note(
        api.from,
        `${logicalId}: a PRIVATE custom domain makes SAM add an AWS::ApiGateway::DomainNameV2 with its own policy and an access association, which this build does not expand (it models a regional domain name), so the domain's policy is not judged`,
      );
    }
    const id = `ApiGatewayDomainName${shortHash(domain.DomainName)}`;
    this.expansion.addOnce(
      id,
      this.expansion.resource(
        'AWS::ApiGateway::DomainName',
        {
          DomainName: domain.DomainName,
          EndpointConfiguration: { Types: [type] },
          ...(type === 'EDGE'
            ? { CertificateArn: domain.CertificateArn }
            : { RegionalCertificateArn: domain.CertificateArn }),
          SecurityPolicy: domain.SecurityPolicy,
          MutualTlsAuthentication: domain.MutualTlsAuthentication,
          OwnershipVerificationCertificateArn: domain.OwnershipVerificationCertificateArn,
        },
        api.from,
      ),
    );
    for (const { clean } of basePaths(domain.BasePath)) {
      this.expansion.add(
        `${logicalId}${clean}BasePathMapping`,
        this.expansion.resource(
          'AWS::ApiGateway::BasePathMapping',
          { DomainName: ref(id), RestApiId: ref(logicalId), Stage: ref(stage), BasePath: clean || undefined },
          api.from,
        ),
        api.from,
      );
    }
    const [zone, dns] =
      type === 'EDGE'
        ? ['DistributionHostedZoneId', 'DistributionDomainName']
        : ['RegionalHostedZoneId', 'RegionalDomainName'];
    this.recordSet(
      domain,
      { HostedZoneId: { 'Fn::GetAtt': [id, zone] }, DNSName: { 'Fn::GetAtt': [id, dns] } },
      api.from,
    );
    this.expansion.referable.set(`${logicalId}.DomainName`, id);
  }

  /** `Domain.Route53`: an alias record for the custom domain in the hosted zone named. */
  private recordSet(domain: Json, aliasTarget: Json, from: SamResource): void {
    const route53 = isObject(domain.Route53) ? domain.Route53 : undefined;
    if (!route53) return;
    const zone = route53.HostedZoneId ?? route53.HostedZoneName;
    this.expansion.addOnce(
      `RecordSetGroup${shortHash(zone)}`,
      this.expansion.resource(
        'AWS::Route53::RecordSetGroup',
        {
          HostedZoneId: route53.HostedZoneId,
          HostedZoneName: route53.HostedZoneName,
          RecordSets: [
            {
              Name: domain.DomainName,
              Type: 'A',
              AliasTarget: { ...aliasTarget, EvaluateTargetHealth: route53.EvaluateTargetHealth },
            },
          ],
        },
        from,
      ),
    );
  }

  private writeHttpApi(logicalId: string, api: ApiState): void {
    const p = api.from.properties;
    const auth = isObject(p.Auth) ? p.Auth : {};
    const schemes: Json = {};
    const authorizers = isObject(auth.Authorizers) ? auth.Authorizers : {};
    for (const [name, authorizer] of Object.entries(authorizers)) {
      if (!isObject(authorizer)) continue;
      if (authorizer.JwtConfiguration !== undefined) {
        schemes[name] = {
          type: 'oauth2',
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            jwtConfiguration: authorizer.JwtConfiguration,
            identitySource: authorizer.IdentitySource,
          },
        };
      } else if (authorizer.FunctionArn !== undefined) {
        schemes[name] = {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            authorizerPayloadFormatVersion: authorizer.AuthorizerPayloadFormatVersion,
            authorizerUri: sub(
              'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations',
              { __FunctionArn__: authorizer.FunctionArn },
            ),
          },
        };
        if (authorizer.EnableFunctionDefaultPermissions === true)
          this.authorizerPermission(logicalId, name, api.from, authorizer.FunctionArn);
      }
    }
    if (auth.EnableIamAuthorizer === true || JSON.stringify(api.paths).includes('"AWS_IAM"')) {
      schemes.AWS_IAM = {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      };
    }
    const generated: Json = {
      openapi: '3.0.1',
      info: { version: '1.0', title: ref('AWS::StackName') },
      paths: api.paths,
      tags: [{ name: 'httpapi:createdBy', 'x-amazon-apigateway-tag-value': 'SAM' }],
    };
    if (Object.keys(schemes).length) generated.components = { securitySchemes: schemes };
    const { body, s3 } = this.body(api, generated);
    this.expansion.add(
      logicalId,
      {
        Type: 'AWS::ApiGatewayV2::Api',
        Properties: withoutUndefined({
          Body: body,
          BodyS3Location: s3,
          FailOnWarnings: p.FailOnWarnings,
          DisableExecuteApiEndpoint: p.DisableExecuteApiEndpoint,
          Tags: { 'httpapi:createdBy': 'SAM', ...(isObject(p.Tags) ? p.Tags : {}) },
        }),
        ...mainAttributes(api.from),
      },
      api.from,
    );
    const stageName = p.StageName;
    const stage =
      stageName === undefined
        ? `${logicalId}ApiGatewayDefaultStage`
        : `${logicalId}${typeof stageName === 'string' ? stageName.replace(/[^0-9A-Za-z]/g, '') : ''}Stage`;
    this.expansion.add(
      stage,
      this.expansion.resource(
        'AWS::ApiGatewayV2::Stage',
        {
          ApiId: ref(logicalId),
          StageName: stageName ?? '$default',
          AutoDeploy: true,
          AccessLogSettings: p.AccessLogSettings,
          DefaultRouteSettings: p.DefaultRouteSettings,
          RouteSettings: p.RouteSettings,
          StageVariables: p.StageVariables,
          Tags: { 'httpapi:createdBy': 'SAM', ...(isObject(p.Tags) ? p.Tags : {}) },
        },
        api.from,
      ),
      api.from,
    );
    this.expansion.referable.set(`${logicalId}.Stage`, stage);
    if (isObject(p.Domain)) {
      const id = `ApiGatewayDomainNameV2${shortHash(p.Domain.DomainName)}`;
      this.expansion.addOnce(
        id,
        this.expansion.resource(
          'AWS::ApiGatewayV2::DomainName',
          {
            DomainName: p.Domain.DomainName,
            DomainNameConfigurations: [
              {
                CertificateArn: p.Domain.CertificateArn,
                EndpointType: p.Domain.EndpointConfiguration ?? 'REGIONAL',
                SecurityPolicy: p.Domain.SecurityPolicy,
              },
            ],
            MutualTlsAuthentication: p.Domain.MutualTlsAuthentication,
          },
          api.from,
        ),
      );
      this.recordSet(
        p.Domain,
        {
          HostedZoneId: { 'Fn::GetAtt': [id, 'RegionalHostedZoneId'] },
          DNSName: { 'Fn::GetAtt': [id, 'RegionalDomainName'] },
        },
        api.from,
      );
      for (const { basePath, clean } of basePaths(p.Domain.BasePath)) {
        this.expansion.add(
          `${logicalId}${clean}ApiMapping`,
          this.expansion.resource(
            'AWS::ApiGatewayV2::ApiMapping',
            {
              ApiId: ref(logicalId),
              DomainName: ref(id),
              Stage: ref(stage),
              ApiMappingKey:
                typeof basePath === 'string' ? basePath.replace(/^\//, '') || undefined : basePath,
            },
            api.from,
          ),
          api.from,
        );
      }
      this.expansion.referable.set(`${logicalId}.DomainName`, id);
    }
  }
}

/** A custom domain's `BasePath` (one or a list; `/` when absent), each with the alphanumeric form SAM names mappings by. */
function basePaths(value: unknown): Array<{ basePath: unknown; clean: string }> {
  return (Array.isArray(value) ? value : [value ?? '/']).map((basePath) => ({
    basePath,
    clean: typeof basePath === 'string' ? basePath.replace(/[^0-9A-Za-z]/g, '') : '',
  }));
}

/** SAM's `EndpointConfiguration` (a type, or `{ Type, VpcEndpointIds }`) as RestApi's `{ Types, VpcEndpointIds }`. */
function endpointConfiguration(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (isObject(value) && value.Type !== undefined)
    return withoutUndefined({
      Types: [value.Type],
      VpcEndpointIds: value.VpcEndpointIds,
      IpAddressType: value.IpAddressType,
    });
  return { Types: [value] };
}
