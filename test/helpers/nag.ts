import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Finding } from '../../lib/audit/engine';
import { CfnTemplate, TemplateIndex } from '../../lib/audit/template';
import { CloverChecks } from '../../lib/nag/clover-checks';

export interface RuleHarnessOptions {
  /** Stack region. @default 'eu-west-1' */
  readonly region?: string;
  /** @default ['EU', 'EEA'] */
  readonly allowJurisdictions?: readonly string[];
  /** @default '2026-11-23' */
  readonly today?: string;
}

/**
 * Runs CloverChecks through cdk-nag's `validateScope` on a raw CloudFormation
 * template (included with CfnInclude into a scratch stack). Returns the pack's
 * findings and the cdk-nag report.
 */
export function validateTemplate(template: CfnTemplate, options: RuleHarnessOptions = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clover-rule-'));
  const file = path.join(dir, 'template.json');
  fs.writeFileSync(file, JSON.stringify(template));
  try {
    const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
    const stack = new Stack(app, 'Fixture', {
      env: { account: '111111111111', region: options.region ?? 'eu-west-1' },
      analyticsReporting: false,
    });
    new CfnInclude(stack, 'Template', { templateFile: file });
    const pack = new CloverChecks(app, {
      allowJurisdictions: options.allowJurisdictions,
      today: options.today ?? '2026-11-23',
    });
    const report = pack.validateScope(app);
    return { findings: pack.findings, report, pack };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rule IDs of the findings, sorted and unique. */
export function ruleIds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}

/** A TemplateIndex over a raw template, for analyser unit tests. */
export function indexOf(template: CfnTemplate, options: RuleHarnessOptions = {}): TemplateIndex {
  return new TemplateIndex(template, {
    stackName: 'Fixture',
    account: '111111111111',
    region: options.region ?? 'eu-west-1',
    allowJurisdictions: options.allowJurisdictions ?? ['EU', 'EEA'],
    today: options.today ?? '2026-11-23',
  });
}
