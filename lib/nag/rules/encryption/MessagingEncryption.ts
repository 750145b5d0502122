import { DEDICATED_STORES } from '../../../audit/coverage/at-rest';
import { CloverRule } from '../../../audit/rule';
import { encryptionOutcome } from '../../../audit/encryption';

/** Queues, topics and streams must be encrypted with a customer-managed key of the enclave. */
export const MessagingEncryption: CloverRule = {
  id: 'CLV-ENC-3',
  family: 'ENC',
  severity: 'error',
  resourceTypes: [
    'AWS::SQS::Queue',
    'AWS::SNS::Topic',
    'AWS::Kinesis::Stream',
    'AWS::KinesisFirehose::DeliveryStream',
  ],
  coverage: {
    'AWS::SQS::Queue': DEDICATED_STORES['AWS::SQS::Queue'],
    'AWS::SNS::Topic': DEDICATED_STORES['AWS::SNS::Topic'],
    'AWS::Kinesis::Stream': `${DEDICATED_STORES['AWS::Kinesis::Stream']} (EncryptionType KMS)`,
    'AWS::KinesisFirehose::DeliveryStream': `${DEDICATED_STORES['AWS::KinesisFirehose::DeliveryStream']} (KeyType CUSTOMER_MANAGED_CMK)`,
  },
  info: 'An SQS queue, SNS topic, Kinesis stream or Firehose delivery stream is not encrypted with a customer-managed KMS key of its own enclave (SQS-managed SSE, AWS-owned or AWS-managed key, or none).',
  explanation:
    'Messages in flight between services are personal data at rest for as long as they wait. SQS-managed SSE (SSE-SQS, the default) and Firehose’s AWS_OWNED_CMK use keys the account cannot see or revoke; the AWS-managed aws/sqs, aws/sns and aws/kinesis keys have policies nobody can narrow, so any principal allowed to receive can also decrypt; SNS topics and Kinesis streams without a key are not encrypted at all. A customer-managed key makes every consumer pass the enclave’s key policy and leaves a CloudTrail record. Firehose streams fed by Kinesis or MSK are judged on their source.',
  fix: 'SQS: KmsMasterKeyId: <enclave key> (CDK: encryption: QueueEncryption.KMS, encryptionMasterKey). SNS: KmsMasterKeyId (CDK: masterKey). Kinesis: StreamEncryption { EncryptionType: KMS, KeyId } (CDK: encryption: StreamEncryption.KMS, encryptionKey). Firehose: DeliveryStreamEncryptionConfigurationInput { KeyType: CUSTOMER_MANAGED_CMK, KeyARN }. Grant the producing service kms:GenerateDataKey and kms:Decrypt in the key policy.',
  evaluate: encryptionOutcome,
};
