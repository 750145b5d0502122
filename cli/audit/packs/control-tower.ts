import { resolve as resolvePath } from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import { findAcknowledgment, Finding } from '../../../lib/audit/engine';
import type { AuditedStack } from '../inputs';
import { packFailure, PackContext, PackRun } from './types';

export const CONTROL_TOWER_PACK = 'Control Tower';

/** cfn-guard prints every rule result as JSON; large templates need a large buffer. */
const GUARD_MAX_BUFFER = 1024 * 1024 * 1024;

/**
 * The control a guard rule implements: `[CT.KMS.PR.3]: Require …` gives rule ID
 * `CT.KMS.PR.3` (the name auditors know); otherwise the guard rule name.
 */
export function controlOf(ruleName: string, description: string): { id: string; title: string } {
  const match = /^\[(CT\.[A-Z0-9]+\.PR\.\d+)\]:?\s*(.*)$/s.exec(description.trim());
  return match ? { id: match[1], title: match[2] || description } : { id: ruleName, title: description };
}

/**
 * The AWS Control Tower proactive controls as cfn-guard rules, run with the
 * cfn-guard binary that `@cdklabs/cdk-validator-cfnguard` ships, on the
 * template files. Rule IDs are the guard rule names.
 */
export function runControlTower(context: PackContext): PackRun {
  const run: PackRun = { findings: [], acknowledged: [], rules: [] };
  const byTemplate = new Map<string, AuditedStack>();
  // cfn-guard reports absolute template paths, whatever form they were given in.
  for (const stack of context.stacks) byTemplate.set(resolvePath(context.scratch.jsonTemplate(stack)), stack);
  let report;
  try {
    const validator = new CfnGuardValidator({ maxBuffer: GUARD_MAX_BUFFER });
    report = validator.validate({
      templatePaths: [...byTemplate.keys()],
    } as unknown as IPolicyValidationContext);
  } catch (error) {
    for (const stack of context.stacks) run.findings.push(packFailure(CONTROL_TOWER_PACK, stack.name, error));
    return run;
  }
  const described = new Set<string>();
  for (const violation of report.violations) {
    const { id, title } = controlOf(violation.ruleName, violation.description);
    if (!described.has(id)) {
      described.add(id);
      run.rules.push({
        id,
        pack: CONTROL_TOWER_PACK,
        title,
        fix: violation.fix && violation.fix !== 'N/A' ? violation.fix : undefined,
      });
    }
    for (const resource of violation.violatingResources) {
      const stack = byTemplate.get(resolvePath(resource.templatePath));
      if (!stack) {
        // Never drop a finding: one that cannot be placed fails its pack loudly.
        run.findings.push(
          packFailure(
            CONTROL_TOWER_PACK,
            resource.templatePath,
            new Error(`cfn-guard reported ${id} on an unknown template`),
          ),
        );
        continue;
      }
      // Statement-level results carry no logical ID, only locations such as /Resources/<id>/Properties/…
      const logicalId =
        resource.resourceLogicalId ?? /^\/Resources\/([^/]+)/.exec(resource.locations?.[0] ?? '')?.[1] ?? '';
      const path = stack.paths.get(logicalId);
      const finding: Finding = {
        rule: id,
        severity: 'error',
        stack: stack.name,
        resource: logicalId,
        path,
        message: `${title} (guard rule ${violation.ruleName})`,
      };
      const ack = findAcknowledgment(stack.acknowledgments, finding.rule, path, context.options.today);
      if (ack) run.acknowledged.push({ finding, acknowledgment: ack });
      else run.findings.push(finding);
    }
  }
  return run;
}
