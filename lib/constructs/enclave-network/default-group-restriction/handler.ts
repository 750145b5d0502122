/**
 * Custom resource handler: removes every rule of a VPC's default security group, so that nothing
 * placed in it can talk (AWS creates it with allow-all egress and allow-from-itself ingress). It
 * revokes what the group holds when it runs, not a list written at synth, and touches no other group.
 *
 * The logic is pure over {@link SecurityGroupRulesApi}; the EC2 client is a thin adapter.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { answerCloudFormation } from '../../custom-resources/response';

/** A rule set in EC2's `IpPermissions` form, passed back unchanged to revoke it. */
export type IpPermission = Record<string, unknown>;

export interface GroupRules {
  readonly ingress: readonly IpPermission[];
  readonly egress: readonly IpPermission[];
}

/** The EC2 calls the restriction needs. */
export interface SecurityGroupRulesApi {
  rules(groupId: string): Promise<GroupRules>;
  revokeIngress(groupId: string, permissions: readonly IpPermission[]): Promise<void>;
  revokeEgress(groupId: string, permissions: readonly IpPermission[]): Promise<void>;
}

/** Revokes every rule of the group; returns how many rule sets it revoked. */
export async function revokeAllRules(api: SecurityGroupRulesApi, groupId: string): Promise<number> {
  const { ingress, egress } = await api.rules(groupId);
  if (ingress.length > 0) await api.revokeIngress(groupId, ingress);
  if (egress.length > 0) await api.revokeEgress(groupId, egress);
  const left = await api.rules(groupId);
  if (left.ingress.length + left.egress.length > 0) {
    throw new Error(
      `security group ${groupId} still has ${left.ingress.length} ingress and ${left.egress.length} egress rule set(s) after revoking them`,
    );
  }
  return ingress.length + egress.length;
}

/** Reads the `GroupId` property; throws a clear error when it is not a security group ID. */
export function groupIdOf(event: CloudFormationCustomResourceEvent): string {
  const groupId = (event.ResourceProperties as Record<string, unknown>).GroupId;
  if (typeof groupId !== 'string' || !/^sg-[0-9a-f]+$/.test(groupId)) {
    throw new Error(`GroupId ${JSON.stringify(groupId)} is not a security group ID (sg-…)`);
  }
  return groupId;
}

/** Runs one request. Deleting restores nothing: the VPC and its default group go next. */
export async function handleEvent(
  event: CloudFormationCustomResourceEvent,
  api: SecurityGroupRulesApi,
): Promise<string> {
  if (event.RequestType === 'Delete') return event.PhysicalResourceId;
  const groupId = groupIdOf(event);
  await revokeAllRules(api, groupId);
  return `${groupId}-no-rules`;
}

interface Ec2Sdk {
  EC2Client: new (config: object) => { send(command: object): Promise<Record<string, unknown>> };
  DescribeSecurityGroupsCommand: new (input: object) => object;
  RevokeSecurityGroupIngressCommand: new (input: object) => object;
  RevokeSecurityGroupEgressCommand: new (input: object) => object;
}

/** The EC2 adapter; the SDK ships with the Lambda Node.js runtime and is not bundled. */
export function ec2Api(sdk: Ec2Sdk = require('@aws-sdk/client-ec2') as Ec2Sdk): SecurityGroupRulesApi {
  const client = new sdk.EC2Client({});
  return {
    async rules(groupId) {
      const output = await client.send(new sdk.DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      const group = ((output.SecurityGroups as Record<string, unknown>[] | undefined) ?? [])[0];
      if (!group) throw new Error(`security group ${groupId} was not found`);
      return {
        ingress: (group.IpPermissions as IpPermission[] | undefined) ?? [],
        egress: (group.IpPermissionsEgress as IpPermission[] | undefined) ?? [],
      };
    },
    async revokeIngress(groupId, permissions) {
      await client.send(
        new sdk.RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [...permissions] }),
      );
    },
    async revokeEgress(groupId, permissions) {
      await client.send(
        new sdk.RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [...permissions] }),
      );
    },
  };
}

/** Lambda entry point: runs the request and always answers CloudFormation. */
export async function handler(event: CloudFormationCustomResourceEvent, context: Context): Promise<void> {
  await answerCloudFormation(event, context, () => handleEvent(event, ec2Api()), 'rules revoked');
}
