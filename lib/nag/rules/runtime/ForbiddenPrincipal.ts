import type { RuntimeFlowRule } from '../../../audit/rule';

/** No resource policy may, by itself, let in someone who must never get in. */
export const ForbiddenPrincipal: RuntimeFlowRule = {
  id: 'CLV-RUN-3',
  family: 'RUN',
  severity: 'error',
  judges:
    'every resource-based policy (bucket, key, topic, queue, event bus, secret, function, role trust, table), one layer at a time, against anonymous callers, accounts outside the audited set, unnamed principals of other audited accounts, and principals without the approved-employee tags or from a blocked jurisdiction',
  info: 'A resource-based policy by itself lets in a principal that must never get in.',
  explanation:
    'Each layer must hold on its own: a bucket policy that admits another account is a breach even when that account\u2019s own policies would refuse today. The probe gives an outside principal an allow-all identity policy and every condition value a caller chooses (external ID, MFA, headers, encryption context, kms:ViaService), and asks whether the policy alone lets it in.',
  fix: 'Name the principals that may call (role ARNs, or the account with an aws:PrincipalArn condition), and require the approved-employee tags on human access.',
};
