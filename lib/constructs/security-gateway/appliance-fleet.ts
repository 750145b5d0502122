import { Fn, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { designDecision } from '../design-decision';
import { KEY_USE_ACTIONS } from '../enclave-network/keys';
import type { ApplianceAmiConfig } from '../../config/types';
import { createCloverKey } from '../enclave-network/keys';
import { applianceUserData, GENEVE_PORT } from './appliance';
import { applianceMachineImage, CpuArchitecture, fallbackInstanceType } from './appliance-image';

/** Root volume of the appliance (Amazon Linux 2023 and most Linux AMIs boot from it). */
const ROOT_DEVICE = '/dev/xvda';
const ROOT_VOLUME_GIB = 16;

export interface ApplianceFleetProps {
  /** Enclave name; suffixes the Auto Scaling service-linked role. */
  readonly enclaveName: string;
  /** The inspection VPC; the appliances live in its subnets, one AZ each. */
  readonly vpc: ec2.IVpc;
  /** One subnet per AZ, in the order of `availabilityZones`. */
  readonly subnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  /** IPv4 block of the inspection VPC, where the GWLB nodes and the logs endpoint live. */
  readonly inspectionCidr: string;
  readonly instanceType: string;
  readonly architecture: CpuArchitecture;
  readonly ami: ApplianceAmiConfig;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** TCP port of the appliance's HTTP health endpoint. */
  readonly healthCheckPort: number;
  /**
   * The enclave VPC's IPv6 block: the appliances drop unsolicited inbound IPv6 to it (stateful).
   * @default no IPv6 filtering (IPv4-only enclave)
   */
  readonly protectedIpv6?: { readonly block: string; readonly association: ec2.CfnVPCCidrBlock };
  /** The GENEVE target group the instances register with. */
  readonly targetGroupArn: string;
  /** Log group that the appliance ships its flow log to. */
  readonly logGroup: logs.ILogGroup;
  /** Topic for Auto Scaling launch/terminate notifications. */
  readonly notificationTopic: sns.ITopic;
}

/**
 * The appliance instances: an Auto Scaling group (ELB health checks, at
 * least one instance per AZ) of a launch template with IMDSv2 only, no public
 * IP, CMK-encrypted EBS and the GENEVE pass-through user data. Instances may
 * only write their own log group.
 */
export class ApplianceFleet extends Construct {
  public readonly autoScalingGroup: autoscaling.CfnAutoScalingGroup;
  public readonly launchTemplate: ec2.LaunchTemplate;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly role: iam.Role;
  /** Encrypts the appliances' EBS volumes. */
  public readonly volumeKey: kms.Key;
  /** The Auto Scaling service-linked role of this fleet (it launches instances with the volume key). */
  public readonly serviceLinkedRoleArn: string;

  constructor(scope: Construct, id: string, props: ApplianceFleetProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // A fleet-owned service-linked role exists before the key policy that names it; the account's
    // default Auto Scaling role may not exist yet in a fresh enclave account.
    const serviceLinkedRole = new iam.CfnServiceLinkedRole(this, 'AutoScalingServiceRole', {
      awsServiceName: 'autoscaling.amazonaws.com',
      customSuffix: `clover-${props.enclaveName}`,
      description: `Launches the Clover ${props.enclaveName} gateway appliances`,
    });
    this.serviceLinkedRoleArn = stack.formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      // The role path carries the service principal, whose domain is the partition's URL suffix.
      resourceName: Fn.join('', [`aws-service-role/autoscaling.${stack.urlSuffix}/`, serviceLinkedRole.ref]),
    });
    this.volumeKey = createCloverKey(this, 'VolumeKey', {
      description: `Clover ${props.enclaveName}: gateway appliance EBS volumes`,
    });
    allowAutoScalingVolumes(this.volumeKey, this.serviceLinkedRoleArn);

    this.role = new iam.Role(this, 'InstanceRole', {
      description: 'Gateway appliance: writes its flow log, nothing else',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteApplianceFlowLog',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [props.logGroup.logGroupArn],
      }),
    );

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Gateway appliances: GENEVE and health checks from the GWLB, HTTPS to the logs endpoint',
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    const inspection = ec2.Peer.ipv4(props.inspectionCidr);
    this.securityGroup.addIngressRule(inspection, ec2.Port.udp(GENEVE_PORT), 'GENEVE from the GWLB');
    this.securityGroup.addIngressRule(
      inspection,
      ec2.Port.tcp(props.healthCheckPort),
      'Health checks from the GWLB',
    );
    this.securityGroup.addEgressRule(inspection, ec2.Port.udp(GENEVE_PORT), 'GENEVE back to the GWLB');
    this.securityGroup.addEgressRule(inspection, ec2.Port.tcp(443), 'CloudWatch Logs interface endpoint');

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      versionDescription: 'Clover GENEVE pass-through appliance',
      instanceType: new ec2.InstanceType(props.instanceType),
      machineImage: applianceMachineImage(props.ami, props.architecture, stack.region),
      userData: applianceUserData({
        logGroupName: props.logGroup.logGroupName,
        region: stack.region,
        urlSuffix: stack.urlSuffix,
        healthCheckPort: props.healthCheckPort,
        protectedIpv6Cidr: props.protectedIpv6?.block,
      }),
      role: this.role,
      securityGroup: this.securityGroup,
      associatePublicIpAddress: false,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      ebsOptimized: true,
      blockDevices: [
        {
          deviceName: ROOT_DEVICE,
          volume: ec2.BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, {
            encrypted: true,
            kmsKey: this.volumeKey,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    // The VPC lists its IPv6 block only once the association exists.
    if (props.protectedIpv6) this.launchTemplate.node.addDependency(props.protectedIpv6.association);

    const launchTemplate = {
      launchTemplateId: this.launchTemplate.launchTemplateId,
      version: this.launchTemplate.latestVersionNumber,
    };
    const fallback = fallbackInstanceType(props.instanceType);
    this.autoScalingGroup = new autoscaling.CfnAutoScalingGroup(this, 'AutoScalingGroup', {
      minSize: String(props.minInstances),
      maxSize: String(props.maxInstances),
      availabilityZones: [...props.availabilityZones],
      vpcZoneIdentifier: [...props.subnetIds],
      // The configured type first; its paired family only when an AZ has no capacity for it.
      ...(fallback
        ? {
            mixedInstancesPolicy: {
              launchTemplate: {
                launchTemplateSpecification: launchTemplate,
                overrides: [{ instanceType: props.instanceType }, { instanceType: fallback }],
              },
              instancesDistribution: {
                onDemandAllocationStrategy: 'prioritized',
                onDemandBaseCapacity: 0,
                onDemandPercentageAboveBaseCapacity: 100,
              },
            },
          }
        : { launchTemplate }),
      healthCheckType: 'ELB',
      healthCheckGracePeriod: 300,
      cooldown: '300',
      targetGroupArns: [props.targetGroupArn],
      serviceLinkedRoleArn: this.serviceLinkedRoleArn,
      metricsCollection: [{ granularity: '1Minute' }],
      notificationConfigurations: [
        {
          topicArn: props.notificationTopic.topicArn,
          notificationTypes: [
            'autoscaling:EC2_INSTANCE_LAUNCH',
            'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
            'autoscaling:EC2_INSTANCE_TERMINATE',
            'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
          ],
        },
      ],
    });
    // Replace appliances one at a time when the launch template changes, keeping every AZ served.
    this.autoScalingGroup.cfnOptions.updatePolicy = {
      autoScalingRollingUpdate: {
        maxBatchSize: 1,
        minInstancesInService:
          props.maxInstances > props.minInstances ? props.minInstances : props.minInstances - 1,
        pauseTime: 'PT5M',
      },
    };
    this.autoScalingGroup.node.addDependency(this.volumeKey);
    if (fallback) {
      designDecision(this.autoScalingGroup, 'APPLIANCE_MIXED_INSTANCES');
    }
  }
}

/** Lets the fleet's service-linked role encrypt the volumes it launches (the AWS-documented statements). */
function allowAutoScalingVolumes(key: kms.Key, serviceLinkedRoleArn: string): void {
  const principal = new iam.ArnPrincipal(serviceLinkedRoleArn);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AutoScalingUsesKeyForVolumes',
      principals: [principal],
      actions: [...KEY_USE_ACTIONS],
      resources: ['*'],
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AutoScalingAttachesVolumes',
      principals: [principal],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  );
}
