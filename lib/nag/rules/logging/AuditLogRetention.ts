import { auditRetentionGaps } from '../../../audit/audit-logs';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Audit logs are kept at least the configured minimum. */
export const AuditLogRetention: CloverRule = {
  id: 'CLV-LOG-9',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup', 'AWS::S3::Bucket'],
  coverage: {
    'AWS::Logs::LogGroup': 'RetentionInDays of audit log groups (flow logs, trail, gateway appliance)',
    'AWS::S3::Bucket': 'LifecycleConfiguration.Rules[].ExpirationInDays of trail and flow-log buckets',
  },
  info: 'An audit log (flow-log, trail or gateway appliance log group; a trail or flow-log bucket) is kept for less than the configured minimum (365 days unless configured).',
  explanation:
    'Audit logs are the evidence of who reached which data and where traffic went; investigations and auditors look back months. A log group whose RetentionInDays is shorter than the minimum, or a trail or flow-log bucket whose lifecycle expires objects sooner, deletes that evidence too early. The minimum is `auditLogRetentionDays` of CloverChecks (`clover audit --audit-log-retention <days>`), 365 days by default. Log groups without any retention are reported by CLV-LOG-5.',
  fix: 'Raise RetentionInDays of the audit log group (CDK: retention: RetentionDays.ONE_YEAR or longer), or the ExpirationInDays of the bucket’s lifecycle rule, to at least the minimum.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(auditRetentionGaps(index, resource));
  },
};
