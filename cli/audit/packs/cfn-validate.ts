import {
  App,
  CloudFormationValidatePlugin,
  PolicyValidationPluginReport,
  PolicyValidationStack,
} from 'aws-cdk-lib';
import { findAcknowledgment, Finding } from '../../../lib/audit/engine';
import type { AuditedStack } from '../inputs';
import { packFailure, PackContext, PackRun } from './types';

export const CFN_VALIDATE_PACK = 'cfn-validate';

/**
 * The "CloudFormation Validate" plugin that aws-cdk-lib runs on every synth
 * (cfn-lint rules and the CloudFormation resource schemas, offline), called
 * directly on the template files with each stack's account and region.
 */
export function runCfnValidate(context: PackContext): PackRun {
  const run: PackRun = { findings: [], acknowledged: [], rules: [] };
  const byTemplate = new Map<string, AuditedStack>();
  for (const stack of context.stacks) byTemplate.set(context.scratch.jsonTemplate(stack), stack);
  let report;
  try {
    report = validateWithCfnLint(
      [...byTemplate].map(([templatePath, stack]) => ({
        stackConstructPath: stack.name,
        templatePath,
        accountId: stack.account,
        region: stack.region,
      })),
    );
  } catch (error) {
    for (const stack of context.stacks) run.findings.push(packFailure(CFN_VALIDATE_PACK, stack.name, error));
    return run;
  }
  const described = new Set<string>();
  for (const violation of report.violations) {
    if (!described.has(violation.ruleName)) {
      described.add(violation.ruleName);
      run.rules.push({
        id: violation.ruleName,
        pack: CFN_VALIDATE_PACK,
        title: violation.description,
        fix: violation.fix,
      });
    }
    for (const resource of violation.violatingResources) {
      const stack = resource.templatePath === undefined ? undefined : byTemplate.get(resource.templatePath);
      if (!stack) continue;
      const resourceId = resource.resourceLogicalId ?? '';
      const path = stack.paths.get(resourceId);
      const finding: Finding = {
        rule: violation.ruleName,
        severity: violation.severity === 'error' || violation.severity === 'fatal' ? 'error' : 'warning',
        stack: stack.name,
        resource: resourceId,
        path,
        message: violation.description,
      };
      const ack = findAcknowledgment(stack.acknowledgments, finding.rule, path, context.options.today);
      if (ack) run.acknowledged.push({ finding, acknowledgment: ack });
      else run.findings.push(finding);
    }
  }
  return run;
}

/**
 * Runs the CloudFormation Validate plugin on synthesized template files, each
 * with its stack's account and region, then frees the plugin's WASM engine.
 */
export function validateWithCfnLint(stacks: readonly PolicyValidationStack[]): PolicyValidationPluginReport {
  const plugin = new CloudFormationValidatePlugin();
  try {
    return plugin.validate({
      templatePaths: stacks.map((stack) => stack.templatePath),
      stackTemplates: [...stacks],
      appConstruct: new App(),
    });
  } finally {
    (plugin as unknown as { _dispose?: () => void })._dispose?.();
  }
}
