import { analyseLogging } from '../../../audit/logging';
import { NOT_APPLICABLE, CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Every enclave VPC has a VPC-level flow log of ALL traffic into CloudWatch Logs, where the shipper reads it. */
export const VpcFlowLogs: CloverRule = {
  id: 'CLV-LOG-1',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::EC2::VPC'],
  coverage: {
    'AWS::EC2::VPC': 'a VPC-level AWS::EC2::FlowLog with TrafficType ALL to CloudWatch Logs (enclave VPCs)',
  },
  info: 'An enclave VPC has no VPC flow log capturing ALL traffic into CloudWatch Logs.',
  explanation:
    'The independent monitor must see every flow into and out of the enclave. Only a VPC-level flow log with TrafficType ALL records accepted and rejected flows of every interface, and only a CloudWatch Logs destination can be subscribed by the log shipper. An inspection VPC (one that hosts the gateway load balancer) is exempt: it carries GENEVE-encapsulated copies of enclave flows, which the appliance log records.',
  fix: 'Add an AWS::EC2::FlowLog with ResourceType VPC, ResourceId the VPC, TrafficType ALL and LogDestinationType cloud-watch-logs.',
  evaluate({ resource, index }: RuleTarget) {
    const vpc = analyseLogging(index).vpc(resource.logicalId);
    if (!vpc || vpc.role !== 'enclave') return NOT_APPLICABLE;
    if (vpc.capturesAllToLogs) return violations([]);
    if (vpc.flowLogs.length === 0) {
      return [`enclave VPC ${resource.logicalId} has no VPC-level flow log`];
    }
    return vpc.flowLogs.map(
      (flowLog) =>
        `flow log ${flowLog.logicalId} of enclave VPC ${resource.logicalId} records ${flowLog.trafficType ?? 'no TrafficType'} traffic to ${flowLog.destinationType}; it needs TrafficType ALL to cloud-watch-logs`,
    );
  },
};
