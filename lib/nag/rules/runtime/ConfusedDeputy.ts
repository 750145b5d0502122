import type { RuntimeFlowRule } from '../../../audit/rule';

/** A service principal is let in only for this account's own resources. */
export const ConfusedDeputy: RuntimeFlowRule = {
  id: 'CLV-RUN-4',
  family: 'RUN',
  severity: 'error',
  judges: 'every statement of a resource-based policy or role trust that names an AWS service principal',
  info: 'A resource-based policy lets an AWS service act here for another account (no aws:SourceAccount, aws:SourceArn or encryption-context condition).',
  explanation:
    'A service principal such as events.amazonaws.com stands for every customer of that service. Without a condition on the source account or resource, another account can point its own rule, alarm or trail at this resource and have the service write (or decrypt) for it: the cross-service confused deputy. Where a service sends no source keys to KMS (EventBridge to an encrypted topic), the encryption context names the resource instead.',
  fix: 'Add aws:SourceAccount and aws:SourceArn conditions naming this account and the resource the service acts for; in a key policy, a kms:EncryptionContext condition naming the resource where the service sends no source keys.',
};
