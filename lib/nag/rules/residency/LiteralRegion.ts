import { CROSS_REGION_PROPERTIES } from '../../../audit/cross-region';
import { COMPLIANT, CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { regionMentions, residencyOf } from '../../../audit/residency';
import { isObject } from '../../../audit/values';

/** Properties that dedicated residency rules judge (CLV-RES-3 to -7), so that one fact gives one finding. */
const OWNED_ELSEWHERE: Record<string, readonly string[]> = {
  'AWS::DynamoDB::Table': ['Replicas'],
  'AWS::S3::Bucket': ['ReplicationConfiguration'],
  'AWS::KMS::ReplicaKey': ['PrimaryKeyArn'],
  'Custom::CrossRegionExportWriter': ['*'],
  'Custom::CrossRegionExportReader': ['*'],
  'AWS::CloudFormation::StackSet': ['StackInstancesGroup'],
  ...CROSS_REGION_PROPERTIES,
  'AWS::DynamoDB::GlobalTable': [
    'Replicas',
    ...(CROSS_REGION_PROPERTIES['AWS::DynamoDB::GlobalTable'] ?? []),
  ],
};

/** Literal ARNs, endpoint hostnames or region strings must not name a region outside the allowed set. */
export const LiteralRegion: CloverRule = {
  id: 'CLV-RES-2',
  family: 'RES',
  severity: 'error',
  info: 'A resource property names a region outside the allowed jurisdictions (ARN, endpoint hostname or region string), also through a parameter default, a mapping, Fn::Sub or Fn::Join.',
  explanation:
    'A region in an ARN, URL, hostname or region field sends data, logs or calls to that region whatever the stack’s own region is. Values are read as the template deploys them: parameter defaults, Fn::FindInMap (with the stack’s region), Fn::Sub, Fn::Join and every branch of Fn::If. Deny statements that merely name a region (to forbid it) are fine, and descriptive text is not a data flow: Description, DisplayName, Comment, tag values and Metadata never raise this finding.',
  fix: 'Point the property at a resource in an allowed region, or remove the reference.',
  evaluate({ resource, index }: RuleTarget) {
    const policy = residencyOf(index);
    const skip = OWNED_ELSEWHERE[resource.type];
    const found: string[] = [];
    if (skip?.includes('*')) return COMPLIANT;
    // The data strings naming regions (descriptive keys left out), in property order, shared with the residency inventory.
    for (const { path, text, regions } of regionMentions(resource.properties)) {
      const key = path[0] as string;
      if (skip?.includes(key)) continue;
      if (isInsideDenyStatement(resource.properties[key], path.slice(1))) continue;
      for (const region of regions) {
        if (!policy.allows(region))
          found.push(`${path.join('.')} names ${policy.describe(region)}: "${truncate(text)}"`);
      }
    }
    return found.length ? violations(found) : COMPLIANT;
  },
};

/** True when the string sits inside an IAM/SCP statement whose Effect is Deny. */
function isInsideDenyStatement(root: unknown, path: readonly (string | number)[]): boolean {
  let current: unknown = root;
  for (const step of path) {
    if (isObject(current) && current.Effect === 'Deny') return true;
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string | number, unknown>)[step];
  }
  return false;
}

function truncate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
