/**
 * Exposure beyond the enclave: public endpoints, access without
 * authentication, long-lived credentials, and roles that other accounts or
 * identity providers may assume without a condition naming who. Shared by
 * CLV-ACC-4 to -7. Pure.
 */
import {
  LONG_LIVED_CREDENTIALS,
  PUBLIC_ENDPOINT_SETTINGS,
  PUBLIC_ENDPOINTS_ELSEWHERE,
  UNAUTHENTICATED_ACCESS,
} from './coverage/exposure';
import {
  conditionEntries,
  describeStatement,
  describeValue,
  parseArn,
  parseOperator,
  policyDocument,
  PolicyStatement,
  principalEntries,
  renderContextOf,
  renderString,
  statementCoversAction,
  statements,
} from './iam';
import { isGatewayLoadBalancer } from './routes';
import { unauthenticatedOperations } from './openapi';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, isObject, jsonText, valueAt } from './values';

export const PUBLIC_ENDPOINT_TYPES: readonly string[] = [
  ...new Set([...Object.keys(PUBLIC_ENDPOINT_SETTINGS), ...Object.keys(PUBLIC_ENDPOINTS_ELSEWHERE)]),
];
export const UNAUTHENTICATED_TYPES: readonly string[] = Object.keys(UNAUTHENTICATED_ACCESS);
export const CREDENTIAL_TYPES: readonly string[] = Object.keys(LONG_LIVED_CREDENTIALS);

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).toLowerCase()
    : undefined;
}

// ------------------------------------------------------------ public endpoints

/** One sentence per way the resource is reachable from the internet. */
export function publicEndpoints(resource: IndexedResource, index: TemplateIndex): string[] {
  const p = resource.properties;
  const found: string[] = [];
  for (const setting of PUBLIC_ENDPOINT_SETTINGS[resource.type] ?? []) {
    const raw = valueAt(p, setting.property);
    const value = raw === undefined ? setting.default : text(raw);
    if (raw !== undefined && value === undefined) {
      found.push(
        `${setting.property} is ${describeValue(raw)}, which cannot be proven to keep the endpoint private`,
      );
    } else if (value !== undefined && setting.exposed.includes(value)) {
      found.push(
        `${setting.property} is ${raw === undefined ? `not set (default ${setting.default})` : describeValue(raw)}: ${setting.what}`,
      );
    }
  }
  switch (resource.type) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      if (isGatewayLoadBalancer(index, resource)) break;
      const scheme = text(p.Scheme) ?? 'internet-facing';
      if (scheme === 'internet-facing') {
        found.push(
          `Scheme is ${p.Scheme === undefined ? 'not set (default internet-facing)' : describeValue(p.Scheme)}: the load balancer takes requests from the internet, outside the security gateway`,
        );
      }
      break;
    }
    case 'AWS::EKS::Cluster': {
      const publicAccess = valueAt(p, 'ResourcesVpcConfig.EndpointPublicAccess');
      if (publicAccess !== undefined && text(publicAccess) === 'false') break;
      const cidrs = asArray(valueAt(p, 'ResourcesVpcConfig.PublicAccessCidrs'));
      const open = cidrs.length === 0 || cidrs.some((cidr) => cidr === '0.0.0.0/0' || cidr === '::/0');
      if (open) {
        found.push(
          `ResourcesVpcConfig.EndpointPublicAccess is ${publicAccess === undefined ? 'not set (default true)' : describeValue(publicAccess)} with PublicAccessCidrs ${cidrs.length ? cidrs.map((c) => describeValue(c)).join(', ') : 'not set (default 0.0.0.0/0)'}: the Kubernetes API is reachable from the whole internet`,
        );
      }
      break;
    }
    case 'AWS::OpenSearchService::Domain':
    case 'AWS::Elasticsearch::Domain':
      if (!isObject(p.VPCOptions)) {
        found.push(
          'VPCOptions is not set: the domain has a public endpoint, guarded only by its access policy',
        );
      }
      break;
    case 'AWS::OpenSearchServerless::SecurityPolicy':
      if (text(p.Type) !== 'network') break;
      asArray(jsonText(p.Policy) ?? p.Policy).forEach((rule, i) => {
        if (isObject(rule) && text(rule.AllowFromPublic) === 'true') {
          found.push(
            `network policy rule ${i} has AllowFromPublic true: the collections it matches are reachable from the internet`,
          );
        }
      });
      break;
    case 'AWS::ECR::PublicRepository':
      found.push('a public ECR repository: anyone may pull its images');
      break;
  }
  return found;
}

// ---------------------------------------------------- unauthenticated access

/** One sentence per way the resource lets callers in without authentication. */
export function unauthenticatedAccess(resource: IndexedResource, index: TemplateIndex): string[] {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::Cognito::IdentityPool':
      return text(p.AllowUnauthenticatedIdentities) === 'true'
        ? [
            'AllowUnauthenticatedIdentities is true: anyone on the internet gets AWS credentials of the pool’s unauthenticated role',
          ]
        : [];
    case 'AWS::Lambda::Url':
      return text(p.AuthType) === 'none'
        ? ['AuthType is NONE: the function URL answers anyone on the internet without authentication']
        : [];
    case 'AWS::Lambda::Permission':
      return text(p.FunctionUrlAuthType) === 'none'
        ? [
            `FunctionUrlAuthType is NONE: ${describeValue(p.Principal)} may call the function URL without authentication`,
          ]
        : [];
    case 'AWS::ApiGateway::Method': {
      if (text(p.HttpMethod) === 'options') return [];
      const api = index.resolve(p.RestApiId, 'AWS::ApiGateway::RestApi');
      const types = asArray(valueAt(api?.properties, 'EndpointConfiguration.Types')).map(text);
      if (types.includes('private')) return [];
      const type = text(p.AuthorizationType) ?? 'none';
      return type === 'none'
        ? [
            `AuthorizationType is ${p.AuthorizationType === undefined ? 'not set (default NONE)' : describeValue(p.AuthorizationType)} on ${describeValue(p.HttpMethod)}: anyone who reaches the API may call the method`,
          ]
        : [];
    }
    case 'AWS::ApiGateway::RestApi': {
      const types = asArray(valueAt(p, 'EndpointConfiguration.Types')).map(text);
      if (types.includes('private')) return [];
      return unauthenticatedOperations(p.Body).map(
        (operation) =>
          `${operation} in the OpenAPI Body has no security requirement that authenticates the caller (IAM, Cognito or a Lambda authorizer): anyone who reaches the API may call it`,
      );
    }
    case 'AWS::ApiGatewayV2::Api': {
      if (text(p.ProtocolType) === 'websocket') return [];
      const quickCreate =
        p.Target !== undefined
          ? [
              `Target ${describeValue(p.Target)} (quick create) makes a $default route without authorization: anyone who reaches the API may call it`,
            ]
          : [];
      return [
        ...quickCreate,
        ...unauthenticatedOperations(p.Body).map(
          (operation) =>
            `${operation} in the OpenAPI Body has no security requirement that authenticates the caller (IAM, JWT or a Lambda authorizer): anyone who reaches the API may call it`,
        ),
      ];
    }
    case 'AWS::ApiGatewayV2::Route': {
      const routeKey = text(p.RouteKey) ?? '';
      if (routeKey.startsWith('options ')) return [];
      const type = text(p.AuthorizationType) ?? 'none';
      return type === 'none'
        ? [
            `AuthorizationType is ${p.AuthorizationType === undefined ? 'not set (default NONE)' : describeValue(p.AuthorizationType)} on route ${describeValue(p.RouteKey)}: anyone who reaches the API may call it`,
          ]
        : [];
    }
  }
  return [];
}

// ------------------------------------------------------- long-lived credentials

/** One sentence per long-lived credential the resource creates. */
export function longLivedCredentials(resource: IndexedResource): string[] {
  if (resource.type !== 'AWS::IAM::AccessKey') return [];
  const status = text(resource.properties.Status) ?? 'active';
  if (status === 'inactive') return [];
  return [
    `access key of IAM user ${describeValue(resource.properties.UserName)} with Status ${resource.properties.Status === undefined ? 'not set (default Active)' : describeValue(resource.properties.Status)}: a long-lived secret that works from anywhere until someone rotates it`,
  ];
}

// -------------------------------------------------------- cross-account trust

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

/** Condition keys that pin which principal of another account (or identity provider) may assume a role. */
const PRINCIPAL_CONDITION =
  /^(sts:externalid|aws:principalarn|aws:principalorgid|aws:principalorgpaths|aws:principalaccount|aws:principaltag\/.+|aws:userid|aws:username|aws:sourceidentity)$/i;

function pinningConditions(statement: PolicyStatement): string[] {
  return conditionEntries(statement)
    .filter((entry) => {
      const operator = parseOperator(entry.operator);
      return !operator.ifExists && operator.base.toLowerCase() !== 'null' && entry.values.length > 0;
    })
    .map((entry) => entry.key);
}

/**
 * One sentence per trust statement that lets another account (or any user of
 * an identity provider) assume the role with no `sts:ExternalId` and no
 * condition naming the principal.
 */
export function unconditionedCrossAccountTrust(role: IndexedResource, index: TemplateIndex): string[] {
  if (role.type !== 'AWS::IAM::Role') return [];
  const context = renderContextOf(index);
  const own = index.context.account;
  const found: string[] = [];
  for (const statement of statements(policyDocument(role.properties.AssumeRolePolicyDocument, context))) {
    if (
      statement.effect !== 'Allow' ||
      !ASSUME_ACTIONS.some((action) => statementCoversAction(statement, action))
    )
      continue;
    const keys = pinningConditions(statement);
    const pinned = keys.some((key) => PRINCIPAL_CONDITION.test(key));
    for (const entry of principalEntries(statement.principal)) {
      if (entry.kind === 'aws') {
        if (pinned) continue;
        // A role or user of this very template is a named principal of this account.
        const local = index.resolve(entry.value);
        if (local && ['AWS::IAM::Role', 'AWS::IAM::User'].includes(local.type)) continue;
        const principal = renderString(entry.value, context);
        const account = principal === undefined ? undefined : accountOf(principal);
        if (account !== undefined && (account === own || account === '${AWS::AccountId}')) continue;
        if (principal !== undefined && principal.includes('${AWS::AccountId}')) continue;
        const who =
          account === undefined
            ? `${describeValue(entry.value, context)} (an account that cannot be proven to be this one)`
            : own === undefined
              ? `account ${account} (this stack’s account is not known, so it may be another)`
              : `account ${account}`;
        found.push(
          `trust policy ${describeStatement(statement)} lets ${who} assume the role with no sts:ExternalId and no condition naming the principal (aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalTag/…)`,
        );
      } else if (entry.kind === 'federated') {
        const provider = renderString(entry.value, context) ?? describeValue(entry.value, context);
        const providerProblem = federatedProblem(provider, keys);
        if (providerProblem) found.push(`trust policy ${describeStatement(statement)}: ${providerProblem}`);
      }
    }
  }
  return found;
}

function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const arn = parseArn(principal);
  return arn?.account || undefined;
}

/** Why a federated trust does not pin which users of the identity provider may assume the role. */
function federatedProblem(provider: string, keys: readonly string[]): string | undefined {
  const host = provider.includes(':oidc-provider/') ? provider.split(':oidc-provider/')[1] : provider;
  if (provider.includes(':saml-provider/')) {
    return keys.length === 0
      ? `SAML provider ${provider} may assume the role with no condition (SAML:aud, SAML:sub …) on who`
      : undefined;
  }
  const lower = keys.map((key) => key.toLowerCase());
  if (host === 'cognito-identity.amazonaws.com') {
    return lower.includes('cognito-identity.amazonaws.com:aud')
      ? undefined
      : 'identities of any Cognito identity pool may assume the role: no cognito-identity.amazonaws.com:aud condition names the pool';
  }
  return lower.some((key) => key.startsWith(`${host.toLowerCase()}:`) && key.endsWith(':sub'))
    ? undefined
    : `any user of identity provider ${host} may assume the role: no ${host}:sub condition names who`;
}
