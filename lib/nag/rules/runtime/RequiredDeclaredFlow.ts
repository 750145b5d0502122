import type { RuntimeFlowRule } from '../../../audit/rule';

/** What code calls must work: the request a Lambda or an employee really makes. */
export const RequiredDeclaredFlow: RuntimeFlowRule = {
  id: 'CLV-RUN-2',
  family: 'RUN',
  severity: 'error',
  judges: `required flows declared in the cloud assembly (resource metadata "clover:flows"): calls only code knows, with the headers, tags and endpoint region the code sends`,
  info: 'A call that the system\u2019s code makes (declared in the cloud assembly) is refused by a policy layer, or sent to an endpoint in another region than its resource.',
  explanation:
    'A construct records each call its code makes from the same definition the code builds the request with (the shipper\u2019s PutObject with its headers, its dead-letter SendMessage, an approved employee reading data), so the proof judges exactly what will be sent. A refused call means events that never reach the archive or the monitor.',
  fix: 'Change the statement the finding names, or change the request (headers, region) in the shared definition the construct and its code both use.',
};
