import { LONG_LIVED_CREDENTIALS } from '../../../audit/coverage/exposure';
import { CREDENTIAL_TYPES, longLivedCredentials } from '../../../audit/exposure';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** No long-lived IAM user access keys. */
export const LongLivedAccessKey: CloverRule = {
  id: 'CLV-ACC-6',
  family: 'ACC',
  severity: 'error',
  resourceTypes: CREDENTIAL_TYPES,
  coverage: LONG_LIVED_CREDENTIALS,
  info: 'The template creates an active IAM user access key: a long-lived credential.',
  explanation:
    'An access key works from any network, in any jurisdiction, until someone deactivates it; it cannot require MFA, carries no session tags and usually ends up in a configuration file or a CI variable. People reach the enclave through roles with MFA and session tags, workloads through roles of their service: both get short-lived credentials.',
  fix: 'Remove the AWS::IAM::AccessKey; use an IAM role (for workloads: the service’s execution role or IAM Roles Anywhere; for people: federated or MFA-protected role sessions).',
  evaluate({ resource }: RuleTarget) {
    return violations(longLivedCredentials(resource));
  },
};
