import * as http from 'http';
import type { AddressInfo } from 'net';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import {
  ec2Api,
  groupIdOf,
  handleEvent,
  IpPermission,
  revokeAllRules,
  SecurityGroupRulesApi,
} from '../../../lib/constructs/enclave-network/default-group-restriction/handler';
import { answerCloudFormation } from '../../../lib/constructs/custom-resources/response';

const GROUP = 'sg-0123456789abcdef0';
/** What AWS gives a new VPC's default group: all traffic from itself in, all traffic out. */
const DEFAULTS = {
  ingress: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: GROUP, UserId: '111111111111' }] }],
  egress: [
    { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
  ],
};

/** An EC2 security group in memory: revoking removes exactly the permissions named. */
class FakeGroup implements SecurityGroupRulesApi {
  public readonly calls: string[] = [];
  constructor(
    private ingress: IpPermission[],
    private egress: IpPermission[],
    private readonly sticky = false,
  ) {}

  async rules(groupId: string) {
    this.calls.push(`rules ${groupId}`);
    return { ingress: [...this.ingress], egress: [...this.egress] };
  }

  async revokeIngress(groupId: string, permissions: readonly IpPermission[]) {
    this.calls.push(`revokeIngress ${groupId} ${permissions.length}`);
    if (!this.sticky) this.ingress = this.ingress.filter((rule) => !permissions.includes(rule));
  }

  async revokeEgress(groupId: string, permissions: readonly IpPermission[]) {
    this.calls.push(`revokeEgress ${groupId} ${permissions.length}`);
    if (!this.sticky) this.egress = this.egress.filter((rule) => !permissions.includes(rule));
  }
}

function event(type: 'Create' | 'Update' | 'Delete', groupId: unknown = GROUP, url = 'http://127.0.0.1:9/r') {
  return {
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:h',
    ResponseURL: url,
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'Restriction',
    ResourceType: 'Custom::DefaultSecurityGroupRestriction',
    ResourceProperties: { ServiceToken: 'x', GroupId: groupId },
    ...(type === 'Create' ? {} : { PhysicalResourceId: `${GROUP}-no-rules` }),
  } as unknown as CloudFormationCustomResourceEvent;
}

describe('revoking the default group’s rules', () => {
  test('revokes every ingress and egress rule the group holds (IPv6 egress included) and checks none is left', async () => {
    const group = new FakeGroup(DEFAULTS.ingress, DEFAULTS.egress);
    expect(await revokeAllRules(group, GROUP)).toBe(3);
    expect(group.calls).toEqual([
      `rules ${GROUP}`,
      `revokeIngress ${GROUP} 1`,
      `revokeEgress ${GROUP} 2`,
      `rules ${GROUP}`,
    ]);
    expect(await group.rules(GROUP)).toEqual({ ingress: [], egress: [] });
  });

  test('calls nothing but the reads when the group has no rule (an update after the first run)', async () => {
    const group = new FakeGroup([], []);
    expect(await revokeAllRules(group, GROUP)).toBe(0);
    expect(group.calls).toEqual([`rules ${GROUP}`, `rules ${GROUP}`]);
  });

  test('fails, naming what is left, when rules survive the revocation', async () => {
    await expect(
      revokeAllRules(new FakeGroup(DEFAULTS.ingress, DEFAULTS.egress, true), GROUP),
    ).rejects.toThrow(
      `security group ${GROUP} still has 1 ingress and 2 egress rule set(s) after revoking them`,
    );
  });

  test('creates and updates revoke; delete touches nothing', async () => {
    const group = new FakeGroup(DEFAULTS.ingress, DEFAULTS.egress);
    expect(await handleEvent(event('Create'), group)).toBe(`${GROUP}-no-rules`);
    expect(await handleEvent(event('Update'), group)).toBe(`${GROUP}-no-rules`);
    const calls = group.calls.length;
    expect(await handleEvent(event('Delete'), group)).toBe(`${GROUP}-no-rules`);
    expect(group.calls).toHaveLength(calls);
  });

  test('refuses a GroupId that is not a security group ID', () => {
    for (const bad of [null, '', 'vpc-0123', 42]) {
      expect(() => groupIdOf(event('Create', bad))).toThrow(/is not a security group ID \(sg-…\)/);
    }
  });
});

describe('the EC2 adapter', () => {
  test('reads the group’s IpPermissions and revokes them as they were read', async () => {
    const sent: Array<{ name: string; input: Record<string, unknown> }> = [];
    const command = (name: string) =>
      class {
        constructor(public readonly input: object) {
          sent.push({ name, input: input as Record<string, unknown> });
        }
      };
    const sdk = {
      EC2Client: class {
        async send(request: { input: Record<string, unknown> }) {
          return sent.at(-1)!.name === 'DescribeSecurityGroups' && request
            ? { SecurityGroups: [{ IpPermissions: DEFAULTS.ingress, IpPermissionsEgress: DEFAULTS.egress }] }
            : {};
        }
      },
      DescribeSecurityGroupsCommand: command('DescribeSecurityGroups'),
      RevokeSecurityGroupIngressCommand: command('RevokeSecurityGroupIngress'),
      RevokeSecurityGroupEgressCommand: command('RevokeSecurityGroupEgress'),
    };
    const api = ec2Api(sdk);
    expect(await api.rules(GROUP)).toEqual(DEFAULTS);
    await api.revokeEgress(GROUP, DEFAULTS.egress);
    expect(sent).toEqual([
      { name: 'DescribeSecurityGroups', input: { GroupIds: [GROUP] } },
      { name: 'RevokeSecurityGroupEgress', input: { GroupId: GROUP, IpPermissions: DEFAULTS.egress } },
    ]);
  });
});

describe('the answer to CloudFormation (a stand-in response URL on 127.0.0.1)', () => {
  let server: http.Server;
  const bodies: Array<Record<string, unknown>> = [];
  let url: string;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push({ method: request.method, ...JSON.parse(Buffer.concat(chunks).toString()) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const context = { getRemainingTimeInMillis: () => 60_000 } as Context;

  test('puts SUCCESS with the physical ID, or FAILED with the reason (a failed create gets a placeholder ID)', async () => {
    await answerCloudFormation(event('Create', GROUP, url), context, async () => 'id-1', 'rules revoked');
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await answerCloudFormation(
      event('Create', GROUP, url),
      context,
      async () => {
        throw new Error('UnauthorizedOperation: not allowed');
      },
      'rules revoked',
    );
    expect(bodies).toEqual([
      expect.objectContaining({
        method: 'PUT',
        Status: 'SUCCESS',
        PhysicalResourceId: 'id-1',
        Reason: 'rules revoked',
      }),
      expect.objectContaining({
        method: 'PUT',
        Status: 'FAILED',
        PhysicalResourceId: 'Restriction-failed',
        Reason: 'UnauthorizedOperation: not allowed',
      }),
    ]);
  });
});
