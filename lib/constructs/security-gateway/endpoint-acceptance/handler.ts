/**
 * Custom resource handler: accepts exactly the GWLB endpoint connections that
 * Clover created, then waits until each is `available`, so that routes to them
 * (which depend on this resource) never target a pending endpoint. It only
 * accepts and reads connections; it never touches routes.
 *
 * Logic is pure (`acceptAndWait`, `respond` body building); the EC2 client
 * and the CloudFormation response are thin adapters.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { answerCloudFormation } from '../../custom-resources/response';

/** The EC2 calls the acceptance needs. */
export interface EndpointConnectionsApi {
  /** Accepts the connections; returns those EC2 could not accept, with its reason. */
  accept(serviceId: string, endpointIds: readonly string[]): Promise<UnsuccessfulAcceptance[]>;
  /** State of every connection to the service, by endpoint ID (`pendingAcceptance`, `available`, …). */
  states(serviceId: string): Promise<Map<string, string>>;
}

export interface UnsuccessfulAcceptance {
  readonly endpointId: string;
  readonly code: string;
  readonly message: string;
}

export interface WaitOptions {
  /** Epoch milliseconds after which the wait gives up. */
  readonly deadline: number;
  readonly now: () => number;
  readonly sleep: (milliseconds: number) => Promise<void>;
  /** @default 10000 */
  readonly pollMilliseconds?: number;
}

/** Connection states from which an endpoint never becomes available. */
const FINAL_FAILURE_STATES = new Set(['rejected', 'failed', 'expired', 'deleted', 'deleting']);

/**
 * Accepts the endpoints and polls until all are `available`. Endpoints still
 * `pendingAcceptance` are accepted again on every poll (EC2 may not list a new
 * connection at once). Throws, naming each endpoint and its state, when one
 * fails for good or the deadline passes.
 */
export async function acceptAndWait(
  api: EndpointConnectionsApi,
  serviceId: string,
  endpointIds: readonly string[],
  options: WaitOptions,
): Promise<void> {
  if (endpointIds.length === 0) return;
  const poll = options.pollMilliseconds ?? 10_000;
  const refusals = new Map<string, UnsuccessfulAcceptance>();
  let toAccept: readonly string[] = endpointIds;
  for (;;) {
    if (toAccept.length > 0) {
      for (const refusal of await api.accept(serviceId, toAccept)) refusals.set(refusal.endpointId, refusal);
    }
    const states = await api.states(serviceId);
    const stateOf = (id: string) => states.get(id) ?? 'not listed';
    const failed = endpointIds.filter((id) => FINAL_FAILURE_STATES.has(stateOf(id)));
    if (failed.length > 0) {
      throw new Error(
        `GWLB endpoint connection(s) to ${serviceId} failed: ${describe(failed, stateOf, refusals)}`,
      );
    }
    const waiting = endpointIds.filter((id) => stateOf(id) !== 'available');
    if (waiting.length === 0) return;
    if (options.now() + poll > options.deadline) {
      throw new Error(
        `Timed out waiting for GWLB endpoint connection(s) to ${serviceId} to become available: ${describe(waiting, stateOf, refusals)}`,
      );
    }
    toAccept = waiting.filter((id) => ['pendingAcceptance', 'not listed'].includes(stateOf(id)));
    await options.sleep(poll);
  }
}

function describe(
  ids: readonly string[],
  stateOf: (id: string) => string,
  refusals: ReadonlyMap<string, UnsuccessfulAcceptance>,
): string {
  return ids
    .map((id) => {
      const refusal = refusals.get(id);
      return `${id} (${stateOf(id)}${refusal ? `; accept refused: ${refusal.code} ${refusal.message}` : ''})`;
    })
    .join(', ');
}

/** Properties of the `Custom::GatewayEndpointAcceptance` resource. */
export interface AcceptanceProperties {
  readonly ServiceId: string;
  readonly VpcEndpointIds: readonly string[];
}

/** Reads and checks the resource properties; throws a clear error on a malformed request. */
export function acceptanceProperties(event: CloudFormationCustomResourceEvent): AcceptanceProperties {
  const props = event.ResourceProperties as Record<string, unknown>;
  const serviceId = props.ServiceId;
  const endpointIds = props.VpcEndpointIds;
  if (typeof serviceId !== 'string' || !serviceId.startsWith('vpce-svc-')) {
    throw new Error(`ServiceId ${JSON.stringify(serviceId)} is not a VPC endpoint service ID (vpce-svc-…)`);
  }
  if (
    !Array.isArray(endpointIds) ||
    endpointIds.some((id) => typeof id !== 'string' || !id.startsWith('vpce-'))
  ) {
    throw new Error(
      `VpcEndpointIds ${JSON.stringify(endpointIds)} must be a list of VPC endpoint IDs (vpce-…)`,
    );
  }
  return { ServiceId: serviceId, VpcEndpointIds: endpointIds as string[] };
}

export { responseBody } from '../../custom-resources/response';

/**
 * Runs one request. Deleting accepts nothing and rejects nothing: the routes
 * that depend on this resource are gone by then, and the endpoints go next.
 */
export async function handleEvent(
  event: CloudFormationCustomResourceEvent,
  api: EndpointConnectionsApi,
  options: WaitOptions,
): Promise<string> {
  const existing = event.RequestType === 'Create' ? undefined : event.PhysicalResourceId;
  if (event.RequestType === 'Delete') return existing!;
  const props = acceptanceProperties(event);
  await acceptAndWait(api, props.ServiceId, props.VpcEndpointIds, options);
  return existing ?? `${props.ServiceId}-accepted`;
}

interface Ec2Sdk {
  EC2Client: new (config: object) => { send(command: object): Promise<Record<string, unknown>> };
  AcceptVpcEndpointConnectionsCommand: new (input: object) => object;
  DescribeVpcEndpointConnectionsCommand: new (input: object) => object;
}

interface Ec2Unsuccessful {
  readonly ResourceId?: string;
  readonly Error?: { readonly Code?: string; readonly Message?: string };
}

interface Ec2Connection {
  readonly VpcEndpointId?: string;
  readonly VpcEndpointState?: string;
}

/** The EC2 adapter; the SDK ships with the Lambda Node.js runtime and is not bundled. */
function ec2Api(): EndpointConnectionsApi {
  const sdk = require('@aws-sdk/client-ec2') as Ec2Sdk;
  const client = new sdk.EC2Client({});
  return {
    async accept(serviceId, endpointIds) {
      const output = await client.send(
        new sdk.AcceptVpcEndpointConnectionsCommand({
          ServiceId: serviceId,
          VpcEndpointIds: [...endpointIds],
        }),
      );
      return ((output.Unsuccessful as Ec2Unsuccessful[] | undefined) ?? []).map((item) => ({
        endpointId: item.ResourceId ?? '',
        code: item.Error?.Code ?? '',
        message: item.Error?.Message ?? '',
      }));
    },
    async states(serviceId) {
      const states = new Map<string, string>();
      let nextToken: string | undefined;
      do {
        const output = await client.send(
          new sdk.DescribeVpcEndpointConnectionsCommand({
            Filters: [{ Name: 'service-id', Values: [serviceId] }],
            NextToken: nextToken,
          }),
        );
        for (const connection of (output.VpcEndpointConnections as Ec2Connection[] | undefined) ?? []) {
          if (connection.VpcEndpointId)
            states.set(connection.VpcEndpointId, connection.VpcEndpointState ?? '');
        }
        nextToken = output.NextToken as string | undefined;
      } while (nextToken);
      return states;
    },
  };
}

/** Lambda entry point: runs the request and always answers CloudFormation. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  await answerCloudFormation(
    event,
    context,
    (deadline) =>
      handleEvent(event, ec2Api(), {
        deadline,
        now: () => Date.now(),
        sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
      }),
    'accepted',
  );
}
