/**
 * Which operations of an API Gateway OpenAPI (or Swagger) definition anyone
 * may call: those without a security requirement that authenticates the
 * caller. API Gateway authenticates through security schemes it extends
 * (`x-amazon-apigateway-authtype`: IAM Sigv4, Cognito user pools, Lambda
 * authorizers; `x-amazon-apigateway-authorizer`: JWT and Lambda authorizers
 * of HTTP APIs; OAuth2/OpenID Connect schemes) and, on HTTP APIs, through
 * `x-amazon-apigateway-auth: { type: AWS_IAM }`. An API key alone identifies
 * a client, it does not authenticate one. Pure.
 */
import { isObject, jsonText } from './values';

const METHODS = ['get', 'put', 'post', 'delete', 'head', 'patch', 'x-amazon-apigateway-any-method'];

function schemesOf(definition: Record<string, unknown>): Record<string, unknown> {
  const swagger = definition.securityDefinitions;
  const components = isObject(definition.components) ? definition.components.securitySchemes : undefined;
  return { ...(isObject(swagger) ? swagger : {}), ...(isObject(components) ? components : {}) };
}

function authenticates(scheme: unknown): boolean {
  if (!isObject(scheme)) return false;
  if (
    scheme['x-amazon-apigateway-authtype'] !== undefined ||
    scheme['x-amazon-apigateway-authorizer'] !== undefined
  )
    return true;
  return scheme.type === 'oauth2' || scheme.type === 'openIdConnect';
}

/** A requirement list authenticates when every alternative it allows names an authenticating scheme. */
function requiresAuthentication(security: unknown, schemes: Record<string, unknown>): boolean {
  if (!Array.isArray(security) || security.length === 0) return false;
  return security.every(
    (requirement) =>
      isObject(requirement) && Object.keys(requirement).some((name) => authenticates(schemes[name])),
  );
}

/** `GET /items`, … : every operation of the definition that callers reach without authentication. */
export function unauthenticatedOperations(body: unknown): string[] {
  const definition = isObject(body) ? body : jsonText(body);
  if (!isObject(definition) || !isObject(definition.paths)) return [];
  const schemes = schemesOf(definition);
  const found: string[] = [];
  for (const [path, item] of Object.entries(definition.paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const auth = operation['x-amazon-apigateway-auth'];
      if (isObject(auth) && typeof auth.type === 'string' && auth.type.toUpperCase() === 'AWS_IAM') continue;
      if (requiresAuthentication(operation.security ?? definition.security, schemes)) continue;
      found.push(`${method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase()} ${path}`);
    }
  }
  return found;
}
