import { CROSS_REGION_TARGETS, MULTI_REGION_TYPES } from '../../../audit/coverage/cross-region';
import { describeRegionTargets } from '../../../audit/coverage/describe';
import { CROSS_REGION_TYPES, crossRegionTargets } from '../../../audit/cross-region';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Replicas, copies and peers of data stay in the allowed regions, and provably so. */
export const CrossRegionFeature: CloverRule = {
  id: 'CLV-RES-7',
  family: 'RES',
  severity: 'error',
  resourceTypes: CROSS_REGION_TYPES,
  coverage: {
    ...Object.fromEntries(
      Object.entries(CROSS_REGION_TARGETS).map(([type, targets]) => [type, describeRegionTargets(targets)]),
    ),
    ...Object.fromEntries(
      Object.entries(MULTI_REGION_TYPES).map(([type, why]) => [type, `the type itself: ${why}`]),
    ),
  },
  info: 'A cross-region feature copies data to a region outside the allowed jurisdictions, or to one the template cannot prove: secret replicas, image replication, backup copy actions, snapshot copies, file-system replication, global clusters and datastores, multi-Region access points, event failover.',
  explanation:
    'Replication and copy features move full copies of the data — secrets, backups, snapshots, file systems, databases — into the regions they name, whatever the stack’s own region is. A destination outside the allowed jurisdictions takes personal data out of Europe; a destination written as a parameter without a value, or a global cluster whose members live in stacks that are not audited, cannot be proven to stay. Regions are read through parameters, mappings, Fn::Sub and Fn::Join, and from the ARNs of destination vaults and clusters.',
  fix: 'Replicate and copy only to allowed regions, written so that the template shows them (a literal region or ARN, or a parameter default); audit the stacks of global clusters’ secondary members together with this one, or do without the global feature.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(crossRegionTargets(resource, index));
  },
};
