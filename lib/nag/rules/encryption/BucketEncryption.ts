import { DEDICATED_STORES } from '../../../audit/coverage/at-rest';
import { CloverRule } from '../../../audit/rule';
import { encryptionOutcome } from '../../../audit/encryption';

/** S3 buckets must use SSE-KMS with a customer-managed key of the enclave. */
export const BucketEncryption: CloverRule = {
  id: 'CLV-ENC-1',
  family: 'ENC',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  coverage: { 'AWS::S3::Bucket': DEDICATED_STORES['AWS::S3::Bucket'] },
  info: 'An S3 bucket is not encrypted with a customer-managed KMS key of its own enclave (SSE-S3, the AWS-managed alias/aws/s3 key, or a key in another region or account).',
  explanation:
    'SSE-S3 (AES256, also S3’s default when BucketEncryption is absent) and the AWS-managed aws/s3 key protect the disks, not the data: anyone with s3:GetObject reads the object, no key policy can narrow who decrypts, and nobody can revoke the key. A customer-managed key adds a second, auditable permission (kms:Decrypt, logged in CloudTrail), a key policy pinned to the enclave’s account and region, and the ability to disable it. The key must be in the bucket’s region and account, or the enclave no longer holds its own key.',
  fix: 'Set BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault to SSEAlgorithm aws:kms with KMSMasterKeyID referencing the enclave’s key (CDK: encryption: BucketEncryption.KMS, encryptionKey: <enclave key>, bucketKeyEnabled: true).',
  evaluate: encryptionOutcome,
};
