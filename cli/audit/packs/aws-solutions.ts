import { App, LegacyStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import { findAcknowledgment, Finding } from '../../../lib/audit/engine';
import { withoutJsiiDeprecationWarnings } from '../../../lib/nag/aws-solutions';
import type { AuditedStack } from '../inputs';
import { packFailure, PackContext, PackRun } from './types';

export const AWS_SOLUTIONS_PACK = 'AwsSolutions';
const INCLUDE_ID = 'Template';

/** cdk-nag's packs that `--with` offers besides AwsSolutions: compliance frameworks, as cdk-nag maps them. */
export const NAG_COMPLIANCE_PACKS = {
  'nist-800-53-r5': {
    name: 'NIST.800.53.R5',
    create: () => new NIST80053R5Checks(undefined, { verbose: false }),
  },
  'hipaa-security': {
    name: 'HIPAA.Security',
    create: () => new HIPAASecurityChecks(undefined, { verbose: false }),
  },
  'pci-dss-321': { name: 'PCI.DSS.321', create: () => new PCIDSS321Checks(undefined, { verbose: false }) },
} as const;

/** cdk-nag's AwsSolutions pack on every audited template. */
export function runAwsSolutions(context: PackContext): PackRun {
  return runNagPack(context, AWS_SOLUTIONS_PACK, () => new AwsSolutionsChecks(undefined, { verbose: false }));
}

/** The runner of one of cdk-nag's compliance packs (`--with nist-800-53-r5`, …). */
export function nagComplianceRunner(
  pack: keyof typeof NAG_COMPLIANCE_PACKS,
): (context: PackContext) => PackRun {
  const { name, create } = NAG_COMPLIANCE_PACKS[pack];
  return (context) => runNagPack(context, name, create);
}

/**
 * A cdk-nag pack, run through `validateScope` on a scratch App into which each
 * template is CfnIncluded (no resource cap). Findings keep cdk-nag's rule IDs
 * (`AwsSolutions-S1`, `NIST.800.53.R5-S3BucketLoggingEnabled`) and are mapped back to
 * logical IDs and construct paths; Clover acknowledgments recorded in the cdk.out apply.
 */
function runNagPack(context: PackContext, packName: string, create: () => NagPack): PackRun {
  const run: PackRun = { findings: [], acknowledged: [], rules: [] };
  const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const byScratchId = new Map<string, AuditedStack>();
  context.stacks.forEach((stack, position) => {
    const id = `Audited${position}`;
    try {
      const scratch = new Stack(app, id, {
        env: stack.region ? { account: stack.account, region: stack.region } : undefined,
        analyticsReporting: false,
        // The included template brings its own bootstrap parameter and rule, if any.
        synthesizer: new LegacyStackSynthesizer(),
      });
      new CfnInclude(scratch, INCLUDE_ID, { templateFile: context.scratch.jsonTemplate(stack) });
      byScratchId.set(id, stack);
    } catch (error) {
      run.findings.push(packFailure(packName, stack.name, error));
    }
  });
  let report;
  try {
    report = withoutJsiiDeprecationWarnings(() => create().validateScope(app));
  } catch (error) {
    for (const stack of byScratchId.values()) run.findings.push(packFailure(packName, stack.name, error));
    return run;
  }
  const titles = new Map<string, string>();
  for (const violation of report.violations) {
    const rule = violation.ruleName;
    titles.set(rule, violation.description);
    for (const resource of violation.violatingResources) {
      const [scratchId, includeId, logicalId] = (resource.constructPath ?? '').split('/');
      const stack = byScratchId.get(scratchId);
      if (!stack) continue;
      const resourceId = includeId === INCLUDE_ID && logicalId ? logicalId : '';
      const path = stack.paths.get(resourceId);
      const finding: Finding = {
        rule,
        severity: violation.severity === 'error' ? 'error' : 'warning',
        stack: stack.name,
        resource: resourceId,
        path,
        message: violation.description,
      };
      const ack = findAcknowledgment(stack.acknowledgments, rule, path, context.options.today);
      if (ack) run.acknowledged.push({ finding, acknowledgment: ack });
      else run.findings.push(finding);
    }
  }
  for (const [id, title] of titles) run.rules.push({ id, pack: packName, title });
  return run;
}
