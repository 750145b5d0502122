import * as fs from 'fs';
import * as path from 'path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { Finding } from '../audit/engine';
import { proveRuntimeFlows, RuntimeProof } from '../audit/runtime/prove';
import { APPROVED_TAG, JURISDICTION_TAG } from '../constructs/access/naming';
import { CLOVER_PACK_NAME, CloverChecks } from '../nag/clover-checks';
import { flowStacksOf } from './assembly-stacks';
import type { CloverApp } from './clover-app';

/** The validation report file that aws-cdk-lib writes into the cloud assembly. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';

interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity?: string;
  readonly violatingConstructs?: ReadonlyArray<{ readonly constructPath?: string }>;
}

interface ValidationReport {
  readonly pluginReports?: ReadonlyArray<{
    readonly pluginName: string;
    readonly violations?: ReportViolation[];
  }>;
}

export interface GateResult {
  /** Every finding of every pack, CloverChecks with per-resource messages. */
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
  /** The runtime flow proof, when the gate ran it. */
  readonly runtime?: RuntimeProof;
}

/**
 * Collects the findings of every validation plugin after synth: CloverChecks
 * from the pack itself (with per-resource messages), the others from the
 * report aws-cdk-lib wrote. Works for stacks inside Stages, which the CDK
 * CLI only reports when they are selected.
 */
export function collectGateFindings(
  assemblyDirectory: string,
  cloverChecks: CloverChecks,
  runtime?: RuntimeProof,
): GateResult {
  const findings: Finding[] = [...cloverChecks.findings, ...(runtime?.findings ?? [])];
  const reportFile = path.join(assemblyDirectory, VALIDATION_REPORT_FILE);
  if (fs.existsSync(reportFile)) {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ValidationReport;
    for (const plugin of report.pluginReports ?? []) {
      if (plugin.pluginName === CLOVER_PACK_NAME) continue;
      for (const violation of plugin.violations ?? []) {
        for (const construct of violation.violatingConstructs ?? [{}]) {
          findings.push({
            rule: violation.ruleName,
            severity: violation.severity === 'error' ? 'error' : 'warning',
            stack: construct.constructPath?.split('/').slice(0, 2).join('/') ?? '',
            resource: '',
            path: construct.constructPath,
            message: `${violation.description} (${plugin.pluginName})`,
          });
        }
      }
    }
  }
  return {
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    runtime,
  };
}

/**
 * Closes the policy gate after synth: the runtime flow proof (CLV-RUN) over
 * the whole cloud assembly, then every pack's findings. The proof reads the
 * same templates and metadata `clover audit` reads from cdk.out.
 */
export async function runGate(built: CloverApp, assembly: CloudAssembly): Promise<GateResult> {
  const { config, today } = built.loaded;
  const runtime = await proveRuntimeFlows(
    flowStacksOf(assembly, { allowJurisdictions: config.residency.allowJurisdictions, today }),
    {
      today,
      blockedJurisdictions: config.residency.blockedJurisdictions,
      approvedTag: APPROVED_TAG,
      jurisdictionTag: JURISDICTION_TAG,
    },
  );
  return collectGateFindings(assembly.directory, built.cloverChecks, runtime);
}

/**
 * One readable summary: every error on its own line, warnings counted per rule.
 * `outdir` is the cloud assembly directory as the user should type it.
 */
export function formatGateSummary(result: GateResult, outdir = 'cdk.out'): string {
  const lines: string[] = [];
  const verdict = result.errors > 0 ? 'FAILED' : 'passed';
  lines.push(`Clover policy gate ${verdict}: ${result.errors} error(s), ${result.warnings} warning(s).`);
  for (const finding of result.findings.filter((f) => f.severity === 'error')) {
    const where = finding.path ?? `${finding.stack}/${finding.resource}`;
    lines.push(`  ERROR ${finding.rule} at ${where}: ${finding.message}`);
  }
  // One line per rule, with its first message (an interim sunset warning names the enclave and the days left).
  const warningsByRule = new Map<string, { count: number; first: string }>();
  for (const finding of result.findings.filter((f) => f.severity === 'warning')) {
    const seen = warningsByRule.get(finding.rule);
    warningsByRule.set(finding.rule, {
      count: (seen?.count ?? 0) + 1,
      first: seen?.first ?? finding.message,
    });
  }
  for (const [rule, { count, first }] of [...warningsByRule].sort(([a], [b]) => (a < b ? -1 : 1)))
    lines.push(`  warning ${rule} ×${count}: ${first}`);
  if (result.runtime?.note) lines.push(`  ${result.runtime.note}`);
  if (result.errors > 0) {
    lines.push(
      'Fix each error, or waive a non-residency finding with acknowledge(scope, { rule, reason, expires }) from clover-enclave (lib/nag/acknowledge.ts).',
      `Full report: ${path.join(outdir, VALIDATION_REPORT_FILE)}; evidence report: npx clover audit ${outdir} --format md`,
    );
  }
  return lines.join('\n');
}
