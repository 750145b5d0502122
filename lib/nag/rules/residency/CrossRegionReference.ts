import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { residencyOf } from '../../../audit/residency';
import { asArray, getPath, isObject, literalString, visitStrings } from '../../../audit/values';

const CROSS_REGION_TYPES = [
  'Custom::CrossRegionExportWriter',
  'Custom::CrossRegionExportReader',
  'AWS::CloudFormation::StackSet',
];

/** Cross-region references and stack sets must not reach regions outside the allowed set. */
export const CrossRegionReference: CloverRule = {
  id: 'CLV-RES-6',
  family: 'RES',
  severity: 'error',
  resourceTypes: CROSS_REGION_TYPES,
  coverage: {
    'Custom::CrossRegionExportWriter': 'every property',
    'Custom::CrossRegionExportReader': 'every property',
    'AWS::CloudFormation::StackSet': 'StackInstancesGroup[].Regions',
  },
  info: 'A cross-region reference or stack set reaches a region outside the allowed jurisdictions.',
  explanation:
    'CDK cross-region references copy values (often ARNs and names of data stores) into SSM parameters of the other region, and stack sets deploy whole templates there.',
  fix: 'Keep producer and consumer stacks in allowed regions; deploy stack sets only to allowed regions.',
  evaluate({ resource, index }: RuleTarget) {
    const policy = residencyOf(index);
    const found: string[] = [];
    if (resource.type === 'AWS::CloudFormation::StackSet') {
      asArray(resource.properties.StackInstancesGroup).forEach((group, i) => {
        asArray(isObject(group) ? getPath(group, ['Regions']) : undefined).forEach((region, j) => {
          const code = literalString(region);
          if (code === undefined)
            found.push(`StackInstancesGroup[${i}].Regions[${j}] is not a literal region`);
          else if (!policy.allows(code))
            found.push(`StackInstancesGroup[${i}].Regions[${j}] is ${policy.describe(code)}`);
        });
      });
      return violations(found);
    }
    visitStrings(resource.properties, (text, path) => {
      for (const region of policy.disallowedRegionsIn(text)) {
        found.push(`${path.join('.')} references ${policy.describe(region)}`);
      }
    });
    return violations(found);
  },
};
