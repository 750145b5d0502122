import { analyseLogging, shippedNames } from '../../../audit/logging';
import { NOT_APPLICABLE, CloverRule, RuleTarget, violations } from '../../../audit/rule';

/**
 * Every enclave log group (flow-log and trail destinations, gateway appliance
 * logs, Clover's fixed enclave log names) is subscribed by a shipper function.
 *
 * A rule sees one template: a subscription by name in another stack is
 * invisible here. So in a Clover enclave stack without a shipper, log groups
 * with the enclave's fixed names are left to the stack that holds the shipper,
 * where this rule checks that the shipper subscribes to every fixed name.
 */
export const UnshippedLogGroup: CloverRule = {
  id: 'CLV-LOG-2',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup', 'AWS::Lambda::Function'],
  reads: ['AWS::Logs::SubscriptionFilter'],
  coverage: {
    'AWS::Logs::LogGroup': 'a subscription filter to a shipper function (enclave log groups)',
    'AWS::Lambda::Function': 'subscriptions of a shipper to every fixed enclave log name',
  },
  info: 'An enclave log group (flow logs, gateway appliance, trail, access) has no subscription to a log shipper.',
  explanation:
    'Flow, gateway and trail logs reach the independent monitor only through a CloudWatch Logs subscription to the enclave’s log shipper; an unsubscribed log group is a flow the monitor never sees. In Clover, the shipper lives in the enclave’s Logging stack and subscribes to the Network stack’s log groups by name: the Logging stack’s shipper must cover every fixed enclave log name.',
  fix: 'Add an AWS::Logs::SubscriptionFilter on the log group whose DestinationArn is the enclave’s shipper function (with a lambda:InvokeFunction permission for logs scoped by SourceArn).',
  evaluate({ resource, index }: RuleTarget) {
    const analysis = analyseLogging(index);
    if (resource.type === 'AWS::Lambda::Function') {
      if (!analysis.shipper(resource.logicalId) || analysis.enclaveLogNames.length === 0)
        return NOT_APPLICABLE;
      const shipped = shippedNames(analysis);
      const missing = analysis.enclaveLogNames.filter((name) => !shipped.has(name));
      return violations(
        missing.map(
          (name) =>
            `shipper ${resource.logicalId} of enclave ${index.enclave!.name} has no subscription to log group ${name}`,
        ),
      );
    }
    const group = analysis.logGroup(resource.logicalId);
    if (!group || group.enclaveReasons.length === 0 || group.subscribedByName) return NOT_APPLICABLE;
    if (group.subscriptions.some((subscription) => subscription.toFunction)) return violations([]);
    const others = group.subscriptions.map((s) => `${s.logicalId} → ${s.destination}`).join(', ');
    return [
      `log group ${group.name ?? resource.logicalId} (${group.enclaveReasons.join(', ')}) has no subscription to a shipper function${others ? `; its subscriptions go elsewhere: ${others}` : ''}`,
    ];
  },
};
