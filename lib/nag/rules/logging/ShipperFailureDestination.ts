import { analyseLogging } from '../../../audit/logging';
import { NOT_APPLICABLE, CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** A log shipper keeps what it could not deliver: an OnFailure destination or a dead-letter queue. */
export const ShipperFailureDestination: CloverRule = {
  id: 'CLV-LOG-3',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::Lambda::Function'],
  reads: ['AWS::Lambda::EventInvokeConfig', 'AWS::Logs::SubscriptionFilter'],
  coverage: {
    'AWS::Lambda::Function': 'EventInvokeConfig DestinationConfig.OnFailure or DeadLetterConfig of shippers',
  },
  info: 'A log shipper (a subscription-filter destination) has neither an OnFailure destination nor a dead-letter queue.',
  explanation:
    'CloudWatch Logs invokes subscribed functions asynchronously. When an invocation still fails after Lambda’s retries, the payload is discarded unless an OnFailure destination (AWS::Lambda::EventInvokeConfig) or a DeadLetterConfig keeps it: events would be lost without trace.',
  fix: 'Give the function an AWS::Lambda::EventInvokeConfig with DestinationConfig.OnFailure (a KMS-encrypted SQS queue), or a DeadLetterConfig.',
  evaluate({ resource, index }: RuleTarget) {
    const shipper = analyseLogging(index).shipper(resource.logicalId);
    if (!shipper) return NOT_APPLICABLE;
    if (shipper.onFailure !== undefined || shipper.deadLetter !== undefined) return violations([]);
    return [
      `shipper ${resource.logicalId} (receives ${shipper.logGroups.join(', ')}) has no OnFailure destination and no DeadLetterConfig`,
    ];
  },
};
