import {
  declaredFlowProblems,
  DeclaredFlow,
  FLOWS_METADATA_KEY,
  SELF_PRINCIPAL,
} from '../../config/flow-declaration';
import type { AssemblyCatalog } from './catalog';
import { impliedKeyRequests, roleRequest, targetOfArn } from './requests';
import type { Flow, FlowRequest } from './types';

/**
 * Flows that only code knows, read from resource metadata (`clover:flows`):
 * the construct recorded each call from the same definition its Lambda uses to
 * build the request, so the proof judges what the code really sends.
 */
export function declaredFlows(catalog: AssemblyCatalog): Flow[] {
  const flows: Flow[] = [];
  const resolver = catalog.resolver;
  for (const stack of resolver.stacks) {
    for (const resource of stack.index.all()) {
      const raw = resource.json.Metadata?.[FLOWS_METADATA_KEY];
      if (raw === undefined) continue;
      const anchor = { stack, logicalId: resource.logicalId };
      const problems = declaredFlowProblems(raw);
      if (problems.length > 0) {
        flows.push({
          id: `${stack.index.context.stackName}/${resource.logicalId}/declared`,
          kind: 'required',
          origin: 'declared',
          title: `flows declared on ${resource.logicalId}`,
          anchor,
          requests: [],
          unresolved: `its ${FLOWS_METADATA_KEY} metadata is malformed: ${problems.join('; ')}`,
        });
        continue;
      }
      const env = resolver.environment(stack);
      for (const declared of raw as DeclaredFlow[]) {
        const principal =
          declared.principal === SELF_PRINCIPAL
            ? resource.type === 'AWS::Lambda::Function'
              ? resolver.text(stack, resource.json.Properties?.Role)
              : (resolver.arnOf(stack, resource) ??
                resolver.token(stack, `"self" on a ${resource.type}, which is not a role or function`))
            : resolver.text(stack, declared.principal);
        const resourceArn = resolver.text(stack, declared.resource);
        const context: Record<string, string | string[]> = {};
        for (const [key, value] of Object.entries(declared.context ?? {})) {
          const resolved = resolver.resolve(stack, value);
          context[key] = Array.isArray(resolved) ? resolved.map(String) : String(resolved);
        }
        let vpcEndpoint: FlowRequest['vpcEndpoint'];
        if (declared.vpcEndpoint !== undefined) {
          const endpoint = catalog.locate(stack, declared.vpcEndpoint);
          const id = resolver.text(stack, declared.vpcEndpoint);
          const vpc = endpoint
            ? resolver.text(endpoint.stack, endpoint.resource.json.Properties?.VpcId)
            : undefined;
          vpcEndpoint = { id, vpc, name: endpoint ? endpoint.resource.logicalId : id };
        }
        let request = roleRequest(
          principal,
          declared.action,
          targetOfArn(catalog, resourceArn, env.account),
          {
            context,
            endpointRegion:
              declared.endpointRegion !== undefined
                ? resolver.text(stack, declared.endpointRegion)
                : undefined,
            vpcEndpoint,
            note: declared.description,
          },
        );
        if (declared.identity === 'allow-all') request = { ...request, identity: 'allow-all' };
        const requests = [request, ...impliedKeyRequests(catalog, request)];
        const missing = resolver.unresolvedIn([
          principal,
          resourceArn,
          context,
          request.endpointRegion,
          vpcEndpoint?.id,
        ]);
        flows.push({
          id: `${stack.index.context.stackName}/${resource.logicalId}/${declared.id}`,
          kind: declared.kind,
          origin: 'declared',
          title: declared.description,
          anchor,
          requests,
          unresolved: missing ? `it names ${missing}` : undefined,
        });
      }
    }
  }
  return flows;
}
