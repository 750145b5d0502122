import { describeValue, renderContextOf, renderString } from '../../../audit/iam';
import { linkedResource } from '../../../audit/links';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { asArray, isObject } from '../../../audit/values';

/** An event rule that forwards to a bus no audited template defines cannot be verified: a warning, not an error. */
export const UnverifiableEventBus: CloverRule = {
  id: 'CLV-LOG-11',
  family: 'LOG',
  severity: 'warning',
  resourceTypes: ['AWS::Events::Rule'],
  coverage: { 'AWS::Events::Rule': 'Targets[].Arn naming an event bus, when no audited stack defines it' },
  info: 'An EventBridge rule forwards events to an event bus outside the audited templates (another account’s or stack’s bus given only by ARN): it cannot be verified.',
  explanation:
    'Security events reach the independent monitor by forwarding to its event bus. Whether that bus exists, is encrypted with the right key and admits only the enclave’s accounts is decided by the template that defines it. A bus of another stack of the same cdk.out, or of a template given to clover audit together, is followed; one no audited template defines is reported as unverifiable, not as compliant.',
  fix: 'Audit the stack that defines the target bus together with this one (the whole cdk.out, or both templates on the command line).',
  evaluate({ resource, index }: RuleTarget) {
    const found: string[] = [];
    asArray(resource.properties.Targets).forEach((target, i) => {
      if (!isObject(target)) return;
      const text = renderString(target.Arn, renderContextOf(index));
      if (text === undefined || !/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//.test(text)) return;
      if (linkedResource(index, target.Arn, 'AWS::Events::EventBus')) return;
      found.push(
        `Targets[${i}] forwards events to ${describeValue(target.Arn, renderContextOf(index))}, an event bus no audited template defines: who receives them and under which policy cannot be verified`,
      );
    });
    return violations(found);
  },
};
