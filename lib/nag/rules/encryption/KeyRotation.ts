import { COMPLIANT, CloverRule, NOT_APPLICABLE, RuleTarget } from '../../../audit/rule';
import { keyRotation } from '../../../audit/encryption';

/** Customer-managed symmetric KMS keys must rotate automatically. */
export const KeyRotation: CloverRule = {
  id: 'CLV-ENC-6',
  family: 'ENC',
  severity: 'error',
  resourceTypes: ['AWS::KMS::Key'],
  coverage: {
    'AWS::KMS::Key': 'EnableKeyRotation (symmetric keys of AWS_KMS origin)',
  },
  info: 'A symmetric KMS key does not rotate its key material automatically (EnableKeyRotation missing, false or "false").',
  explanation:
    'Automatic rotation bounds how much data one version of key material protects and how long a leaked version is useful, and is what auditors expect of keys that guard personal data (ISO 27001 A.8.24, BSI C5 CRY-01). KMS leaves rotation off unless EnableKeyRotation is true; CloudFormation reads the string "false" as false. Asymmetric, HMAC, imported and custom-key-store keys cannot rotate automatically and are not judged here.',
  fix: 'Set EnableKeyRotation: true (CDK: enableKeyRotation: true); RotationPeriodInDays may shorten the default of 365 days.',
  evaluate({ resource }: RuleTarget) {
    const rotation = keyRotation(resource);
    if (rotation.state === 'unsupported') return NOT_APPLICABLE;
    return rotation.state === 'on' ? COMPLIANT : [rotation.written];
  },
};
