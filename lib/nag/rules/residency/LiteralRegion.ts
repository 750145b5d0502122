import { COMPLIANT, CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { residencyOf } from '../../../audit/residency';
import { isObject, visitStrings } from '../../../audit/values';

/** Properties that dedicated residency rules judge, so that one fact gives one finding. */
const OWNED_ELSEWHERE: Record<string, string> = {
  'AWS::DynamoDB::GlobalTable': 'Replicas',
  'AWS::DynamoDB::Table': 'Replicas',
  'AWS::S3::Bucket': 'ReplicationConfiguration',
  'AWS::KMS::ReplicaKey': 'PrimaryKeyArn',
  'Custom::CrossRegionExportWriter': '*',
  'Custom::CrossRegionExportReader': '*',
  'AWS::CloudFormation::StackSet': 'StackInstancesGroup',
};

/** Literal ARNs, endpoint hostnames or region strings must not name a region outside the allowed set. */
export const LiteralRegion: CloverRule = {
  id: 'CLV-RES-2',
  family: 'RES',
  severity: 'error',
  info: 'A resource property names a region outside the allowed jurisdictions (ARN, endpoint hostname or region string).',
  explanation:
    'A literal region in an ARN, URL, hostname or region field sends data, logs or calls to that region whatever the stack’s own region is. Deny statements that merely name a region (to forbid it) are fine.',
  fix: 'Point the property at a resource in an allowed region, or remove the reference.',
  evaluate({ resource, index }: RuleTarget) {
    const policy = residencyOf(index);
    const skip = OWNED_ELSEWHERE[resource.type];
    const found: string[] = [];
    for (const [key, value] of Object.entries(resource.properties)) {
      if (skip === '*' || key === skip) continue;
      visitStrings(value, (text, path) => {
        if (isInsideDenyStatement(value, path)) return;
        for (const region of policy.disallowedRegionsIn(text)) {
          found.push(`${[key, ...path].join('.')} names ${policy.describe(region)}: "${truncate(text)}"`);
        }
      });
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
