import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  acceptAndWait,
  acceptanceProperties,
  EndpointConnectionsApi,
  handleEvent,
  responseBody,
  UnsuccessfulAcceptance,
  WaitOptions,
} from '../../../lib/constructs/security-gateway/endpoint-acceptance/handler';

const SERVICE = 'vpce-svc-0123456789abcdef0';
const A = 'vpce-0aaaaaaaaaaaaaaaa';
const B = 'vpce-0bbbbbbbbbbbbbbbb';
const STRANGER = 'vpce-0ccccccccccccccccc';

/**
 * A fake EC2: each poll advances every accepted endpoint one step along
 * `pendingAcceptance → pending → available`, unless a script says otherwise.
 */
class FakeEc2 implements EndpointConnectionsApi {
  public readonly accepted: string[][] = [];
  public readonly states = jestStates();
  /** Connection state by endpoint ID, as EC2 would report it. */
  public readonly current = new Map<string, string>();

  constructor(
    initial: Record<string, string>,
    private readonly refuse: readonly UnsuccessfulAcceptance[] = [],
    private readonly stuck: ReadonlySet<string> = new Set(),
  ) {
    for (const [id, state] of Object.entries(initial)) this.current.set(id, state);
    this.states.mockImplementation(async () => {
      const snapshot = new Map(this.current);
      for (const [id, state] of this.current) {
        if (this.stuck.has(id)) continue;
        if (state === 'pending') this.current.set(id, 'available');
      }
      return snapshot;
    });
  }

  public async accept(serviceId: string, endpointIds: readonly string[]): Promise<UnsuccessfulAcceptance[]> {
    expect(serviceId).toBe(SERVICE);
    this.accepted.push([...endpointIds]);
    for (const id of endpointIds) {
      if (this.current.get(id) === 'pendingAcceptance' && !this.refuse.some((r) => r.endpointId === id)) {
        this.current.set(id, 'pending');
      }
    }
    return this.refuse.filter((refusal) => endpointIds.includes(refusal.endpointId));
  }
}

function jestStates() {
  return jest.fn<Promise<Map<string, string>>, [string]>();
}

function clock(deadlineAfterPolls = 100): WaitOptions & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    deadline: deadlineAfterPolls * 10,
    now: () => now,
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
      now += milliseconds;
    },
    pollMilliseconds: 10,
  };
}

function event(
  type: 'Create' | 'Update' | 'Delete',
  props: Record<string, unknown>,
): CloudFormationCustomResourceEvent {
  const base = {
    ServiceToken: 'token',
    ResponseURL: 'https://example.invalid/response',
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'Acceptance',
    ResourceType: 'Custom::GatewayEndpointAcceptance',
    ResourceProperties: { ServiceToken: 'token', ...props },
  };
  if (type === 'Create') return { ...base, RequestType: 'Create' };
  if (type === 'Update') {
    return {
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: 'physical',
      OldResourceProperties: { ServiceToken: 'token' },
    };
  }
  return { ...base, RequestType: 'Delete', PhysicalResourceId: 'physical' };
}

describe('acceptAndWait', () => {
  test('accepts exactly the given endpoints and returns once both are available', async () => {
    const ec2 = new FakeEc2({
      [A]: 'pendingAcceptance',
      [B]: 'pendingAcceptance',
      [STRANGER]: 'pendingAcceptance',
    });
    await acceptAndWait(ec2, SERVICE, [A, B], clock());
    expect(ec2.accepted[0]).toEqual([A, B]);
    expect(ec2.accepted.flat()).not.toContain(STRANGER);
  });

  test('accepts again an endpoint EC2 did not list yet, and waits for it', async () => {
    const ec2 = new FakeEc2({ [A]: 'pendingAcceptance' });
    const options = clock();
    const waiting = acceptAndWait(ec2, SERVICE, [A, B], {
      ...options,
      sleep: async (milliseconds) => {
        await options.sleep(milliseconds);
        if (!ec2.current.has(B)) ec2.current.set(B, 'pendingAcceptance');
      },
    });
    await waiting;
    expect(ec2.accepted).toEqual([[A, B], [B]]);
  });

  test('fails at once, naming the endpoint and the refusal, when a connection is rejected', async () => {
    const ec2 = new FakeEc2({ [A]: 'rejected' }, [
      { endpointId: A, code: 'InvalidState', message: 'rejected' },
    ]);
    await expect(acceptAndWait(ec2, SERVICE, [A], clock())).rejects.toThrow(
      `GWLB endpoint connection(s) to ${SERVICE} failed: ${A} (rejected; accept refused: InvalidState rejected)`,
    );
  });

  test('gives up at the deadline, listing what is still pending', async () => {
    const ec2 = new FakeEc2({ [A]: 'pendingAcceptance', [B]: 'pendingAcceptance' }, [], new Set([B]));
    const options = clock(3);
    await expect(acceptAndWait(ec2, SERVICE, [A, B], options)).rejects.toThrow(
      `Timed out waiting for GWLB endpoint connection(s) to ${SERVICE} to become available: ${B} (pending)`,
    );
    expect(options.slept.length).toBeLessThanOrEqual(3);
  });

  test('does nothing for an empty list', async () => {
    const ec2 = new FakeEc2({});
    await acceptAndWait(ec2, SERVICE, [], clock());
    expect(ec2.accepted).toEqual([]);
  });
});

describe('handleEvent', () => {
  test('accepts on create and names the resource after the service', async () => {
    const ec2 = new FakeEc2({ [A]: 'pendingAcceptance' });
    await expect(
      handleEvent(event('Create', { ServiceId: SERVICE, VpcEndpointIds: [A] }), ec2, clock()),
    ).resolves.toBe(`${SERVICE}-accepted`);
  });

  test('accepts the new list on update and keeps the physical ID', async () => {
    const ec2 = new FakeEc2({ [A]: 'available', [B]: 'pendingAcceptance' });
    await expect(
      handleEvent(event('Update', { ServiceId: SERVICE, VpcEndpointIds: [A, B] }), ec2, clock()),
    ).resolves.toBe('physical');
    expect(ec2.accepted[0]).toEqual([A, B]);
  });

  test('accepts and rejects nothing on delete', async () => {
    const ec2 = new FakeEc2({ [A]: 'available' });
    await expect(handleEvent(event('Delete', {}), ec2, clock())).resolves.toBe('physical');
    expect(ec2.accepted).toEqual([]);
    expect(ec2.states).not.toHaveBeenCalled();
  });

  test('rejects a malformed request with a clear message', () => {
    expect(() => acceptanceProperties(event('Create', { ServiceId: '*', VpcEndpointIds: [A] }))).toThrow(
      'ServiceId "*" is not a VPC endpoint service ID (vpce-svc-…)',
    );
    expect(() => acceptanceProperties(event('Create', { ServiceId: SERVICE, VpcEndpointIds: '*' }))).toThrow(
      'VpcEndpointIds "*" must be a list of VPC endpoint IDs (vpce-…)',
    );
  });
});

describe('responseBody', () => {
  test('reports success and failure in the shape CloudFormation expects', () => {
    const created = event('Create', {});
    expect(JSON.parse(responseBody(created, { physicalResourceId: 'id', reason: 'accepted' }))).toEqual({
      Status: 'SUCCESS',
      Reason: 'accepted',
      PhysicalResourceId: 'id',
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'Acceptance',
    });
    expect(
      JSON.parse(responseBody(created, { physicalResourceId: 'id', error: new Error('boom') })),
    ).toMatchObject({
      Status: 'FAILED',
      Reason: 'boom',
    });
  });
});
