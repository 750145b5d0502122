import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { residencyOf } from '../../../audit/residency';
import { asArray, isObject, literalString } from '../../../audit/values';

/** DynamoDB global-table replicas must stay in the allowed regions. */
export const GlobalTableReplica: CloverRule = {
  id: 'CLV-RES-3',
  family: 'RES',
  severity: 'error',
  resourceTypes: ['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table'],
  coverage: {
    'AWS::DynamoDB::GlobalTable': 'Replicas[].Region',
    'AWS::DynamoDB::Table': 'Replicas[].Region',
  },
  info: 'A DynamoDB global table has a replica outside the allowed jurisdictions.',
  explanation:
    'Every replica of a global table holds a full copy of its items; a replica outside Europe moves personal data out of Europe.',
  fix: 'Remove the replica, or place it in an allowed region.',
  evaluate({ resource, index }: RuleTarget) {
    const policy = residencyOf(index);
    const found: string[] = [];
    asArray(resource.properties.Replicas).forEach((replica, i) => {
      if (!isObject(replica)) return;
      const region = literalString(replica.Region);
      if (region === undefined) {
        found.push(
          `Replicas[${i}].Region is not a literal region, so residency cannot be proven; write the region`,
        );
      } else if (!policy.allows(region)) {
        found.push(`Replicas[${i}].Region is ${policy.describe(region)}`);
      }
    });
    return violations(found);
  },
};
