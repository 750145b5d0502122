import { findRegion } from '../../../config/regions';
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
  info: 'A cross-region reference or stack set reaches a region outside the allowed jurisdictions, or a stack set names a region of another partition.',
  explanation:
    'CDK cross-region references copy values (often ARNs and names of data stores) into SSM parameters of the other region, and stack sets deploy whole templates there. A stack set reaches only the regions of its own partition: an aws-partition organisation cannot deploy to eusc-de-east-1 (aws-eusc), so such a region is an instance that never exists, not a baseline in place.',
  fix: 'Keep producer and consumer stacks in allowed regions; deploy stack sets only to allowed regions of their own partition (the organisation of another partition deploys its own).',
  evaluate({ resource, index }: RuleTarget) {
    const policy = residencyOf(index);
    const found: string[] = [];
    if (resource.type === 'AWS::CloudFormation::StackSet') {
      const home = index.context.region === undefined ? undefined : findRegion(index.context.region);
      asArray(resource.properties.StackInstancesGroup).forEach((group, i) => {
        asArray(isObject(group) ? getPath(group, ['Regions']) : undefined).forEach((region, j) => {
          const code = literalString(region);
          const partition = code === undefined ? undefined : findRegion(code)?.partition;
          if (code === undefined)
            found.push(`StackInstancesGroup[${i}].Regions[${j}] is not a literal region`);
          else if (!policy.allows(code))
            found.push(`StackInstancesGroup[${i}].Regions[${j}] is ${policy.describe(code)}`);
          else if (home && partition !== undefined && partition !== home.partition)
            found.push(
              `StackInstancesGroup[${i}].Regions[${j}] is ${code} in partition ${partition}, which a stack set of partition ${home.partition} (${home.code}) cannot reach`,
            );
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
