import { DEDICATED_STORES } from '../../../audit/coverage/at-rest';
import { CloverRule } from '../../../audit/rule';
import { encryptionOutcome } from '../../../audit/encryption';

/** CloudWatch log groups must be encrypted with a customer-managed key of the enclave. */
export const LogGroupEncryption: CloverRule = {
  id: 'CLV-ENC-5',
  family: 'ENC',
  severity: 'error',
  resourceTypes: ['AWS::Logs::LogGroup'],
  coverage: { 'AWS::Logs::LogGroup': DEDICATED_STORES['AWS::Logs::LogGroup'] },
  info: 'A CloudWatch log group is not encrypted with a customer-managed KMS key of its own enclave (it uses the CloudWatch Logs service-owned key).',
  explanation:
    'Flow logs, gateway logs, data-access logs and application logs carry IP addresses, identifiers and request payloads: personal data. Without KmsKeyId, CloudWatch Logs encrypts them with a key the service owns, so anyone with logs:GetLogEvents reads them and the enclave cannot revoke access. With a customer-managed key every read also needs kms:Decrypt under the enclave’s key policy.',
  fix: 'Set KmsKeyId to the ARN of the enclave’s key (CDK: encryptionKey), and allow the service principal logs.<region>.<suffix> to use the key with a kms:EncryptionContext:aws:logs:arn condition in the key policy.',
  evaluate: encryptionOutcome,
};
