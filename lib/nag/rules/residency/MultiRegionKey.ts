import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { residencyOf } from '../../../audit/residency';
import { isTrue, visitStrings } from '../../../audit/values';

/** KMS keys must be single-Region; replica keys copy key material to other regions. */
export const MultiRegionKey: CloverRule = {
  id: 'CLV-RES-5',
  family: 'RES',
  severity: 'error',
  resourceTypes: ['AWS::KMS::Key', 'AWS::KMS::ReplicaKey'],
  coverage: {
    'AWS::KMS::Key': 'MultiRegion',
    'AWS::KMS::ReplicaKey': 'the type itself (a copy of a multi-Region key), PrimaryKeyArn',
  },
  info: 'A KMS key is multi-Region, or is a replica of a key from another region.',
  explanation:
    'A multi-Region key can be replicated to any region by one API call outside the template, taking the ability to decrypt European data with it. Clover keys are single-Region and live in the enclave’s region.',
  fix: 'Set MultiRegion to false (or remove it) and create one key per enclave region.',
  evaluate({ resource, index }: RuleTarget) {
    if (resource.type === 'AWS::KMS::ReplicaKey') {
      const found: string[] = ['AWS::KMS::ReplicaKey copies a multi-Region key’s material into this region'];
      visitStrings(resource.properties.PrimaryKeyArn, (text) => {
        for (const region of residencyOf(index).disallowedRegionsIn(text)) {
          found.push(`PrimaryKeyArn is in ${residencyOf(index).describe(region)}`);
        }
      });
      return violations(found);
    }
    return violations(isTrue(resource.properties.MultiRegion) ? ['MultiRegion is true'] : []);
  },
};
