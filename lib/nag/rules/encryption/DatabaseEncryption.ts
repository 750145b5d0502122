import { DEDICATED_STORES } from '../../../audit/coverage/at-rest';
import { CloverRule } from '../../../audit/rule';
import { encryptionOutcome } from '../../../audit/encryption';

/** DynamoDB tables and RDS databases must be encrypted with a customer-managed key of the enclave. */
export const DatabaseEncryption: CloverRule = {
  id: 'CLV-ENC-2',
  family: 'ENC',
  severity: 'error',
  resourceTypes: [
    'AWS::DynamoDB::Table',
    'AWS::DynamoDB::GlobalTable',
    'AWS::RDS::DBInstance',
    'AWS::RDS::DBCluster',
  ],
  coverage: {
    'AWS::DynamoDB::Table': `${DEDICATED_STORES['AWS::DynamoDB::Table']} (SSESpecification.SSEEnabled must be true)`,
    'AWS::DynamoDB::GlobalTable': `${DEDICATED_STORES['AWS::DynamoDB::GlobalTable']} (SSESpecification.SSEEnabled must be true)`,
    'AWS::RDS::DBInstance': `${DEDICATED_STORES['AWS::RDS::DBInstance']} (StorageEncrypted must be true; Aurora instances on their cluster)`,
    'AWS::RDS::DBCluster': `${DEDICATED_STORES['AWS::RDS::DBCluster']} (StorageEncrypted must be true)`,
  },
  info: 'A DynamoDB table or RDS database is not encrypted with a customer-managed KMS key of its own enclave (AWS-owned key, AWS-managed key, or unencrypted storage).',
  explanation:
    'Without SSESpecification a DynamoDB table uses a key AWS owns and shares across accounts; with SSEEnabled but no KMSMasterKeyId it uses the AWS-managed aws/dynamodb key, whose policy nobody can narrow. An RDS instance or cluster without StorageEncrypted stores data in clear, and without KmsKeyId uses aws/rds. Only a customer-managed key gives the enclave a key policy, CloudTrail evidence of every decryption and a way to revoke access. Aurora instances are judged on their cluster; read replicas inherit their source’s key.',
  fix: 'DynamoDB: SSESpecification { SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: <enclave key> } (CDK: encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey); global tables: the same per replica with that region’s key. RDS: StorageEncrypted: true with KmsKeyId: <enclave key> (CDK: storageEncryptionKey).',
  evaluate: encryptionOutcome,
};
