import { describeBreach, LIMITS, Measurement } from '../../../audit/limits';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { asArray } from '../../../audit/values';

/** A stack within CloudFormation's limits on one template, and its SCPs within the per-target limit. */
export const TemplateSize: CloverRule = {
  id: 'CLV-LIM-2',
  family: 'LIM',
  severity: 'error',
  scope: 'stack',
  info: 'A template is over a CloudFormation limit (1 MB of template body, 500 resources, 200 outputs, parameters or mappings, a 1,024-byte description), or more SCPs attach to one organisation target than Organizations allows.',
  explanation:
    'CloudFormation refuses a template over its quotas before it creates anything: 1 MB of template body from Amazon S3 (the CDK CLI uploads templates there), 500 resources, 200 outputs, 200 parameters, 200 mappings, a description of 1,024 bytes. The template body is counted as written in the cloud assembly (the file the CDK CLI uploads; a stack with suppressTemplateIndentation writes it without indentation), or, for a template not read from a file, as the CDK writes it by default (JSON indented by one space). Clover lifts CDK’s own 500-resource check at synth (a large enclave or a CfnInclude would stop synth without saying which limit), so this rule is where the limit is enforced. Organizations attaches at most 5 SCPs to a root, OU or account, FullAWSAccess included.',
  fix: 'Split the stack (more stacks per enclave, or fewer enclaves per monitoring stage), move repeated values into fewer resources, and attach at most four Clover SCPs to one target (merge statements into fewer policies within 5,120 characters each).',
  evaluate({ index }: RuleTarget) {
    const template = index.template;
    const body = index.context.templateBytes ?? Buffer.byteLength(JSON.stringify(template, undefined, 1));
    const measurements: Measurement[] = [
      { limit: LIMITS.templateBody, size: body, where: 'template body' },
      {
        limit: LIMITS.templateResources,
        size: Object.keys(template.Resources ?? {}).length,
        where: 'Resources',
      },
      { limit: LIMITS.templateOutputs, size: Object.keys(template.Outputs ?? {}).length, where: 'Outputs' },
      {
        limit: LIMITS.templateParameters,
        size: Object.keys(template.Parameters ?? {}).length,
        where: 'Parameters',
      },
      {
        limit: LIMITS.templateMappings,
        size: Object.keys(template.Mappings ?? {}).length,
        where: 'Mappings',
      },
      {
        limit: LIMITS.templateDescription,
        size: Buffer.byteLength(typeof template.Description === 'string' ? template.Description : ''),
        where: 'Description',
      },
    ];
    const perTarget = new Map<string, number>();
    for (const policy of index.ofType('AWS::Organizations::Policy')) {
      if (policy.properties.Type !== 'SERVICE_CONTROL_POLICY') continue;
      for (const target of asArray(policy.properties.TargetIds)) {
        if (typeof target === 'string') perTarget.set(target, (perTarget.get(target) ?? 1) + 1);
      }
    }
    const found = measurements
      .filter((m) => m.size > m.limit.limit)
      .map((m) => describeBreach(index.context.stackName, m));
    for (const [target, count] of perTarget) {
      const attached = {
        limit: LIMITS.scpsPerTarget,
        size: count,
        where: 'SCPs attached, FullAWSAccess included',
      };
      if (count > attached.limit.limit) found.push(describeBreach(target, attached));
    }
    return violations(found);
  },
};
