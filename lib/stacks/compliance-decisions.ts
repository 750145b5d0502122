import { CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { acknowledge } from '../nag/acknowledge';

/**
 * cdk-nag's compliance packs that `clover audit --with` runs (nist-800-53-r5, hipaa-security,
 * pci-dss-321), by the prefix of their rule IDs.
 */
export const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'] as const;
type CompliancePack = (typeof COMPLIANCE_PACKS)[number];

/** Last day of the decisions: reviewed yearly with the other acknowledgments. */
const EXPIRES = '2027-11-30';

/** One finding of the compliance packs that Clover's design answers differently, and where it applies. */
export interface ComplianceDecision {
  /** The rule name after the pack prefix (`IAMNoInlinePolicy`). */
  readonly check: string;
  /** The packs that have the rule. */
  readonly packs: readonly CompliancePack[];
  /** The resources it applies to. */
  readonly appliesTo: (resource: CfnResource) => boolean;
  readonly reason: string;
}

const ALL = COMPLIANCE_PACKS;
const NIST_AND_HIPAA: readonly CompliancePack[] = ['NIST.800.53.R5', 'HIPAA.Security'];

function sseAlgorithm(bucket: s3.CfnBucket): unknown {
  const encryption = Stack.of(bucket).resolve(bucket.bucketEncryption) as
    | {
        serverSideEncryptionConfiguration?: Array<{
          serverSideEncryptionByDefault?: { sseAlgorithm?: unknown };
        }>;
      }
    | undefined;
  return encryption?.serverSideEncryptionConfiguration?.[0]?.serverSideEncryptionByDefault?.sseAlgorithm;
}

/**
 * The decisions, each with its reason (docs/compliance.md lists them with the counts a test measures).
 * Findings of those packs not answered here are open: docs/compliance.md says which and why.
 */
export const COMPLIANCE_DECISIONS: readonly ComplianceDecision[] = [
  {
    check: 'IAMNoInlinePolicy',
    packs: ALL,
    appliesTo: (r) => r instanceof iam.CfnPolicy || (r instanceof iam.CfnRole && r.policies !== undefined),
    reason:
      'Each Clover role’s permissions are written for that one role and live and die with it (an inline policy); a managed policy could be attached to other principals. The shared limits (permissions boundaries, service control policies) are managed policies',
  },
  {
    check: 'S3BucketReplicationEnabled',
    packs: ALL,
    appliesTo: (r) => r instanceof s3.CfnBucket && r.replicationConfiguration === undefined,
    reason:
      'Personal data replicates only where the config pairs two enclaves (replication, allowed Regions only): a copy elsewhere would be a residency decision. Trail logs reach the monitoring plane’s Object Lock archive through the shipper; access logs and the archive keep one copy by design',
  },
  {
    check: 'S3DefaultEncryptionKMS',
    packs: ALL,
    appliesTo: (r) => r instanceof s3.CfnBucket && sseAlgorithm(r) === 'AES256',
    reason:
      'Only S3 server access log buckets use SSE-S3: the one default encryption S3 supports for log destinations (CLV-ENC-1 records the same decision)',
  },
  {
    check: 'LambdaConcurrency',
    packs: NIST_AND_HIPAA,
    appliesTo: (r) => r instanceof lambda.CfnFunction,
    reason:
      'A reservation fails to deploy in accounts on the new-account concurrency quota (Lambda keeps 100 unreserved); the shipper takes one from shipper.reservedConcurrency once the quota is raised, and the deploy-time handlers run a few times per deployment',
  },
  {
    check: 'LambdaDLQ',
    packs: NIST_AND_HIPAA,
    appliesTo: (r) => r instanceof lambda.CfnFunction,
    reason:
      'The shipper keeps failed invocations in an OnFailure destination queue (with the invocation context a DLQ lacks) and undeliverable events in its own dead-letter queue, both alarmed; the deploy-time handlers answer CloudFormation, which fails and rolls back the deployment',
  },
  {
    check: 'SecretsManagerRotationEnabled',
    packs: NIST_AND_HIPAA,
    appliesTo: (r) => r instanceof secretsmanager.CfnSecret,
    reason:
      'The monitor token is issued by the independent provider and rotated with them; rotating the pseudonymisation key would break the correlation of pseudonyms the monitor relies on (AwsSolutions-SMG4 records the same decision)',
  },
  {
    check: 'VPCNoUnrestrictedRouteToIGW',
    packs: ALL,
    appliesTo: (r) => r instanceof ec2.CfnRoute && r.gatewayId !== undefined,
    reason:
      'Only the NAT gateways’ subnets (and, for IPv6, the GWLB endpoints’ subnets) route to the internet gateway, after inspection; every workload route goes to the same-AZ security gateway (CLV-NET proves it)',
  },
  {
    check: 'VPCDefaultSecurityGroupClosed',
    packs: ALL,
    appliesTo: (r) => r instanceof ec2.CfnVPC,
    reason:
      'The default security groups of the enclave and inspection VPCs are left without rules at deploy time by Custom::DefaultSecurityGroupRestriction, which a template check cannot see',
  },
  {
    check: 'EC2IMDSv2Enabled',
    packs: NIST_AND_HIPAA,
    appliesTo: (r) => r instanceof autoscaling.CfnAutoScalingGroup && r.mixedInstancesPolicy !== undefined,
    reason:
      'The appliances’ launch template requires IMDSv2 (HttpTokens required, hop limit 1); the rule does not follow a MixedInstancesPolicy to its launch template',
  },
  {
    check: 'ELBLoggingEnabled',
    packs: ALL,
    appliesTo: (r) => r instanceof elbv2.CfnLoadBalancer && r.type === 'gateway',
    reason:
      'Gateway Load Balancers have no access logs; the appliances log every inspected flow to the appliance log group and both VPCs have flow logs (AwsSolutions-ELB2 records the same decision)',
  },
  {
    check: 'ELBv2ACMCertificateRequired',
    packs: ALL,
    appliesTo: (r) => r instanceof elbv2.CfnListener && r.protocol === undefined,
    reason:
      'A Gateway Load Balancer listener forwards GENEVE and terminates no TLS, so it has no certificate; traffic stays end to end encrypted between the workloads and their peers',
  },
];

/** Records the compliance decisions on the resources of a Clover stack they apply to. */
export class ComplianceDecisions implements IAspect {
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    for (const decision of COMPLIANCE_DECISIONS) {
      if (!decision.appliesTo(node)) continue;
      for (const pack of decision.packs) {
        acknowledge(node, { rule: `${pack}-${decision.check}`, reason: decision.reason, expires: EXPIRES });
      }
    }
  }
}
