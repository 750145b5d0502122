import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { residencyOf } from '../../../audit/residency';
import { asArray, getPath, isObject, visitStrings } from '../../../audit/values';

/** S3 replication destinations and replica keys must stay in the allowed regions. */
export const ReplicationDestination: CloverRule = {
  id: 'CLV-RES-4',
  family: 'RES',
  severity: 'error',
  resourceTypes: ['AWS::S3::Bucket'],
  coverage: {
    'AWS::S3::Bucket': 'ReplicationConfiguration.Rules[].Destination (bucket ARN, ReplicaKmsKeyID)',
  },
  info: 'An S3 replication rule sends objects, or encrypts replicas with a key, outside the allowed jurisdictions.',
  explanation:
    'Replication copies every object to the destination; the destination bucket and the replica KMS key must both live in an allowed region, or personal data leaves Europe.',
  fix: 'Replicate only to a bucket in an allowed region, encrypted with a key in that region.',
  evaluate({ resource, index }: RuleTarget) {
    const policy = residencyOf(index);
    const found: string[] = [];
    asArray(getPath(resource.properties, ['ReplicationConfiguration', 'Rules'])).forEach((rule, i) => {
      if (!isObject(rule)) return;
      visitStrings(rule.Destination, (text, path) => {
        for (const region of policy.disallowedRegionsIn(text)) {
          found.push(
            `ReplicationConfiguration.Rules[${i}].Destination.${path.join('.')} names ${policy.describe(region)}`,
          );
        }
      });
    });
    return violations(found);
  },
};
