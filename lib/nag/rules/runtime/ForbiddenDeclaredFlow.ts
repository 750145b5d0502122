import type { RuntimeFlowRule } from '../../../audit/rule';

/** A call that must never succeed is refused by the layers together. */
export const ForbiddenDeclaredFlow: RuntimeFlowRule = {
  id: 'CLV-RUN-5',
  family: 'RUN',
  severity: 'error',
  judges:
    'forbidden flows declared in the cloud assembly, such as the independent auditor reading raw log events or user data',
  info: 'A call declared forbidden (for example the auditor reading raw, unpseudonymised events) is allowed by the policy layers together.',
  explanation:
    'Some principals are trusted with evidence but not with the data it describes: the auditor may read configuration, findings and the pseudonymised archive, never the raw events that carry personal data. The construct that creates such a principal declares what it must never do, and the proof evaluates that request against every layer at once.',
  fix: 'Remove the grant that the finding names, or add an explicit deny for the principal on that data.',
};
