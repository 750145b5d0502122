import type { TemplateIndex } from '../../../lib/audit/template';
import { asArray, isTrue, referencedLogicalId } from '../../../lib/audit/values';

/**
 * What the audited templates contain along Clover's two data paths, counted
 * from resource types alone: enclave → security gateway → egress, and
 * enclave logs → shipper → independent monitor and archive. Drawn as the
 * report's data-flow diagram; a box with zero resources is drawn as absent.
 */
export interface DataFlow {
  readonly enclaves: readonly string[];
  readonly vpcs: number;
  readonly gatewayLoadBalancers: number;
  readonly gatewayEndpoints: number;
  readonly natGateways: number;
  readonly internetGateways: number;
  readonly logGroups: number;
  readonly subscriptions: number;
  /** Lambda functions that receive a log subscription. */
  readonly shippers: number;
  /** Queues used by those functions as dead-letter queue or on-failure destination. */
  readonly deadLetterQueues: number;
  /** Buckets with S3 Object Lock enabled. */
  readonly archives: number;
}

function count(
  indexes: readonly TemplateIndex[],
  type: string,
  test: (properties: Record<string, unknown>) => boolean = () => true,
): number {
  return indexes.reduce(
    (sum, index) => sum + index.ofType(type).filter((resource) => test(resource.properties)).length,
    0,
  );
}

function shipperQueues(index: TemplateIndex, shipper: string): string[] {
  const queues: string[] = [];
  const fn = index.get(shipper);
  const dlq = referencedLogicalId(
    (fn?.properties.DeadLetterConfig as Record<string, unknown> | undefined)?.TargetArn,
  );
  if (dlq) queues.push(dlq);
  for (const config of index.referrers(shipper, 'AWS::Lambda::EventInvokeConfig', 'FunctionName')) {
    const onFailure = (
      config.properties.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined
    )?.OnFailure;
    const target = referencedLogicalId(onFailure?.Destination);
    if (target) queues.push(target);
  }
  return queues.filter((id) => index.get(id)?.type === 'AWS::SQS::Queue');
}

export function dataFlowOf(indexes: readonly TemplateIndex[]): DataFlow {
  let shippers = 0;
  let deadLetterQueues = 0;
  for (const index of indexes) {
    const functions = new Set<string>();
    for (const filter of index.ofType('AWS::Logs::SubscriptionFilter')) {
      const target = index.resolve(filter.properties.DestinationArn, 'AWS::Lambda::Function');
      if (target) functions.add(target.logicalId);
    }
    shippers += functions.size;
    deadLetterQueues += new Set([...functions].flatMap((fn) => shipperQueues(index, fn))).size;
  }
  const enclaves = new Set<string>();
  for (const index of indexes)
    if (index.enclave && index.enclave.role === 'enclave') enclaves.add(index.enclave.name);
  return {
    enclaves: [...enclaves].sort(),
    vpcs: count(indexes, 'AWS::EC2::VPC'),
    gatewayLoadBalancers: count(
      indexes,
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      (p) => p.Type === 'gateway',
    ),
    gatewayEndpoints: count(
      indexes,
      'AWS::EC2::VPCEndpoint',
      (p) => p.VpcEndpointType === 'GatewayLoadBalancer',
    ),
    natGateways: count(indexes, 'AWS::EC2::NatGateway'),
    internetGateways: count(indexes, 'AWS::EC2::InternetGateway'),
    logGroups: count(indexes, 'AWS::Logs::LogGroup'),
    subscriptions: count(indexes, 'AWS::Logs::SubscriptionFilter'),
    shippers,
    deadLetterQueues,
    archives: count(
      indexes,
      'AWS::S3::Bucket',
      (p) => isTrue(p.ObjectLockEnabled) || asArray(p.ObjectLockConfiguration).length > 0,
    ),
  };
}
