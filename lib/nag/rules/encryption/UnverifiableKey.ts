import { DATA_STORE_TYPES, unverifiableKeys } from '../../../audit/encryption';
import { CloverRule } from '../../../audit/rule';

/** A store's key that no audited template defines cannot be verified: a warning, not an error. */
export const UnverifiableKey: CloverRule = {
  id: 'CLV-ENC-10',
  family: 'ENC',
  severity: 'warning',
  resourceTypes: DATA_STORE_TYPES,
  coverage: Object.fromEntries(
    DATA_STORE_TYPES.map((type) => [
      type,
      'the key its encryption property names, when no audited stack defines it',
    ]),
  ),
  info: 'A data store is encrypted with a key outside the audited templates (a key ARN or alias, an import or a parameter that no audited stack resolves): it cannot be verified.',
  explanation:
    'A key named by ARN, by an alias no audited stack defines, by Fn::ImportValue of an export no audited stack has, or by a parameter without a value may well be the enclave’s customer-managed key — or an AWS-managed key, a key of another account, a key without rotation. The audit cannot tell, so it says so instead of passing or failing the store. Keys of other stacks in the same cdk.out, or of templates given to clover audit together, are followed and judged.',
  fix: 'Audit the stack that defines the key together with this one (the whole cdk.out, or both templates on the command line), or define the key in this template.',
  evaluate: unverifiableKeys,
};
