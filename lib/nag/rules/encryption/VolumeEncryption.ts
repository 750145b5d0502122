import { DEDICATED_STORES } from '../../../audit/coverage/at-rest';
import { CloverRule } from '../../../audit/rule';
import { encryptionOutcome } from '../../../audit/encryption';

/** EBS volumes (standalone, instance and launch-template devices) and EFS file systems must use the enclave's key. */
export const VolumeEncryption: CloverRule = {
  id: 'CLV-ENC-4',
  family: 'ENC',
  severity: 'error',
  resourceTypes: [
    'AWS::EC2::Volume',
    'AWS::EC2::Instance',
    'AWS::EC2::LaunchTemplate',
    'AWS::EFS::FileSystem',
  ],
  coverage: {
    'AWS::EC2::Volume': `${DEDICATED_STORES['AWS::EC2::Volume']} (Encrypted must be true)`,
    'AWS::EC2::Instance': `${DEDICATED_STORES['AWS::EC2::Instance']} (Encrypted must be true)`,
    'AWS::EC2::LaunchTemplate': `${DEDICATED_STORES['AWS::EC2::LaunchTemplate']} (Encrypted must be true)`,
    'AWS::EFS::FileSystem': `${DEDICATED_STORES['AWS::EFS::FileSystem']} (Encrypted must be true)`,
  },
  info: 'An EBS volume, an instance or launch-template block device, or an EFS file system is not encrypted with a customer-managed KMS key of its own enclave.',
  explanation:
    'Volumes hold whatever the instance writes: caches, swap, logs, copies of user data. Without Encrypted: true a volume is stored in clear (unless an account-level default that the template cannot show encrypts it); without KmsKeyId it uses the AWS-managed aws/ebs or aws/elasticfilesystem key, which anyone who may use the volume may decrypt. An instance or launch template that declares no block device mappings takes the AMI’s encryption, which the template cannot prove. Snapshots inherit the volume’s key, so the key chosen here decides who can copy the data out.',
  fix: 'Declare every EBS device with Encrypted: true and KmsKeyId: <enclave key> (CDK: blockDevices: [{ deviceName, volume: BlockDeviceVolume.ebs(size, { encrypted: true, kmsKey }) }]; ec2.Volume: encrypted: true, encryptionKey). EFS: Encrypted: true with KmsKeyId (CDK: encrypted: true, kmsKey).',
  evaluate: encryptionOutcome,
};
