import { analyseLogging } from '../../../audit/logging';
import { CloverRule, NOT_APPLICABLE, RuleTarget, violations } from '../../../audit/rule';

/** A subscription whose destination no audited template defines cannot be verified: a warning, not an error. */
export const UnverifiableShipper: CloverRule = {
  id: 'CLV-LOG-10',
  family: 'LOG',
  severity: 'warning',
  resourceTypes: ['AWS::Logs::SubscriptionFilter'],
  coverage: {
    'AWS::Logs::SubscriptionFilter': 'DestinationArn, when no audited stack defines the destination',
  },
  info: 'A log subscription delivers to a destination outside the audited templates (a function, stream or destination given only by ARN, or an import no audited stack exports): it cannot be verified.',
  explanation:
    'Whether a subscription ships to the independent monitor, and whether its destination keeps what it cannot deliver (CLV-LOG-3), depends on the destination. A function given only by ARN may be the enclave’s shipper — or anything else. Destinations defined by other stacks of the same cdk.out, or by templates given to clover audit together, are followed; what no audited template defines is reported as unverifiable, not as compliant.',
  fix: 'Audit the stack that defines the destination together with this one (the whole cdk.out, or both templates on the command line), or reference the destination within this template.',
  evaluate({ resource, index }: RuleTarget) {
    const subscription = analyseLogging(index).subscriptions.find((s) => s.logicalId === resource.logicalId);
    if (!subscription) return NOT_APPLICABLE;
    return violations(
      subscription.external
        ? [
            `subscription ${resource.logicalId} delivers log group ${subscription.logGroupName ?? subscription.logGroupId ?? '?'} to ${subscription.external}, which no audited template defines: where the events go and what happens to those it cannot deliver cannot be verified`,
          ]
        : [],
    );
  },
};
