import { describeStoreSpecs } from '../../../audit/coverage/describe';
import { STORE_SPECS } from '../../../audit/coverage/at-rest';
import { encryptionOutcome } from '../../../audit/encryption';
import { CloverRule } from '../../../audit/rule';

/** Every other data store in the reviewed registry table must be encrypted with a customer-managed key of the enclave. */
export const StoreEncryption: CloverRule = {
  id: 'CLV-ENC-8',
  family: 'ENC',
  severity: 'error',
  resourceTypes: Object.keys(STORE_SPECS),
  reads: ['AWS::KMS::Alias'],
  coverage: Object.fromEntries(
    Object.entries(STORE_SPECS).map(([type, specs]) => [type, describeStoreSpecs(specs)]),
  ),
  info: 'A data store (database, cache, search domain, warehouse, streaming cluster, secret, backup vault, notebook, file system, trail, launch configuration …) is not encrypted with a customer-managed KMS key of its own enclave: encryption off, the service’s own key, or an AWS-managed key.',
  explanation:
    'The types and properties come from the CloudFormation resource specification, reviewed per type (docs/coverage.md): the property naming the KMS key, the flag that turns encryption on and its default, and the mode that selects KMS. Without a customer-managed key the enclave cannot narrow who decrypts, cannot see every decryption in CloudTrail and cannot revoke access; with encryption off (a flag false, or absent where the default is off) the data is stored in clear. A key in another region or account takes the data out of the enclave’s control. Where a service offers no customer-managed key at all (DAX, AppSync and API Gateway caches), encryption on is the standard.',
  fix: 'Name the enclave’s customer-managed key in the property docs/coverage.md lists for the type (e.g. KmsKeyId, KmsKeyArn, EncryptionKeyArn, EncryptionAtRestOptions.KmsKeyId), turn its encryption flag on (StorageEncrypted, AtRestEncryptionEnabled, Encrypted, EncryptionAtRestOptions.Enabled) and choose the KMS mode (CUSTOMER_MANAGED_KMS_KEY, SSE-KMS, aws:kms).',
  evaluate: encryptionOutcome,
};
