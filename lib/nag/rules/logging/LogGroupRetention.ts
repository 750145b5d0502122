import { COMPLIANT, CloverRule, RuleTarget } from '../../../audit/rule';

/** Log groups keep events for a stated time, never forever. */
export const LogGroupRetention: CloverRule = {
  id: 'CLV-LOG-5',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup'],
  coverage: {
    'AWS::Logs::LogGroup': 'RetentionInDays',
  },
  info: 'A log group has no retention (CloudWatch Logs keeps its events forever).',
  explanation:
    'Logs hold personal data (addresses, identities). Storage limitation requires a stated retention; the evidence that must last lives in the Object Lock archive, with its own configured retention.',
  fix: 'Set RetentionInDays on the log group (for example 365).',
  evaluate({ resource }: RuleTarget) {
    if (resource.properties.RetentionInDays !== undefined) return COMPLIANT;
    const name =
      typeof resource.properties.LogGroupName === 'string'
        ? resource.properties.LogGroupName
        : resource.logicalId;
    return [`log group ${name} has no RetentionInDays`];
  },
};
