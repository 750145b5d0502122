import type { AcknowledgedFinding } from '../../lib/audit/engine';
import { linkStacks } from '../../lib/audit/links';
import type { CloverRule } from '../../lib/audit/rule';
import { ALL_RULES } from '../../lib/nag/rules';
import { proveRuntimeFlows, RuntimeProof } from '../../lib/audit/runtime/prove';
import { TemplateIndex } from '../../lib/audit/template';
import type { AuditedStack, AuditInput, InputProblem } from './inputs';
import { accessRows } from './inventory/access';
import { dataFlowOf } from './inventory/dataflow';
import { encryptionRows } from './inventory/encryption';
import { logCoverageRows } from './inventory/logging';
import { notJudgedRows } from './inventory/not-judged';
import { residencyRows } from './inventory/residency';
import { interimEnclaveRows } from './inventory/interim';
import { routeProofRows } from './inventory/routes';
import { runtimeFlowRows } from './inventory/runtime';
import type { AuditOptions, ExtraPack } from './options';
import { describeCloverRules, runCloverChecks } from './packs/clover';
import type { PackContext, PackRun, RuleDescription } from './packs/types';
import {
  acknowledgmentReports,
  AuditResult,
  available,
  Inventory,
  compareFindings,
  findingReport,
  incompleteRows,
  inputReports,
  optionsReport,
  summarize,
  TOOL_NAME,
} from './report';
import { Scratch } from './scratch';

/** Extra packs load their (heavy) dependencies only when `--with` names them. */
const EXTRA_PACK_RUNNERS: Record<ExtraPack, () => Promise<(context: PackContext) => PackRun>> = {
  'aws-solutions': async () => (await import('./packs/aws-solutions')).runAwsSolutions,
  'control-tower': async () => (await import('./packs/control-tower')).runControlTower,
  'cfn-validate': async () => (await import('./packs/cfn-validate')).runCfnValidate,
  'nist-800-53-r5': async () => (await import('./packs/aws-solutions')).nagComplianceRunner('nist-800-53-r5'),
  'hipaa-security': async () => (await import('./packs/aws-solutions')).nagComplianceRunner('hipaa-security'),
  'pci-dss-321': async () => (await import('./packs/aws-solutions')).nagComplianceRunner('pci-dss-321'),
};

/**
 * An inventory over every stack. An analyser that fails on one stack leaves that stack out and says so
 * in the note (the rules built on it report the same failure as findings), instead of failing the audit.
 */
function inventoryOf<T>(
  indexes: readonly TemplateIndex[],
  rows: (index: TemplateIndex) => T[],
): Inventory<T> {
  const items: T[] = [];
  const failures: string[] = [];
  for (const index of indexes) {
    try {
      items.push(...rows(index));
    } catch (error) {
      failures.push(`${index.context.stackName} (${(error as Error).message})`);
    }
  }
  return available(items, failures.length ? `could not analyse: ${failures.join('; ')}` : null);
}

function toolVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** The proof's findings as a pack run of CloverChecks (its rules are CLV-RUN). */
function runtimeRun(proof: RuntimeProof): PackRun {
  return {
    findings: [...proof.findings],
    acknowledged: [...proof.acknowledged],
    rules: describeCloverRules(proof.findings.map((finding) => finding.rule)),
  };
}

/**
 * Audits loaded inputs: builds one template index per stack, runs
 * CloverChecks (and the packs named in --with), and assembles the report
 * with its inventories.
 */
export async function evaluateInputs(
  inputs: readonly AuditInput[],
  options: AuditOptions,
  inputErrors: readonly InputProblem[] = [],
  userRules: readonly CloverRule[] = [],
): Promise<AuditResult> {
  const rules = userRules.length ? [...ALL_RULES, ...userRules] : ALL_RULES;
  const stacks = inputs.flatMap((input) => input.stacks);
  const indexes = new Map<AuditedStack, TemplateIndex>();
  const indexOf = (stack: AuditedStack): TemplateIndex => {
    let index = indexes.get(stack);
    if (!index) {
      index = new TemplateIndex(stack.template, {
        stackName: stack.name,
        account: stack.account,
        region: stack.region,
        allowJurisdictions: options.jurisdictions,
        today: options.today,
        auditLogRetentionDays: options.auditLogRetentionDays,
      });
      indexes.set(stack, index);
    }
    return index;
  };
  // Inputs given together are one audit: imports and ARNs between their stacks resolve.
  linkStacks(stacks.map(indexOf));
  const scratch = new Scratch();
  const runs: PackRun[] = [];
  // The runtime flow proof judges every stack of every input together: flows cross stacks and accounts.
  const runtime = await proveRuntimeFlows(
    stacks.map((stack) => ({
      index: indexOf(stack),
      pathOf: (logicalId: string) => stack.paths.get(logicalId),
      acknowledgments: stack.acknowledgments,
      file: stack.input,
    })),
    { today: options.today },
  );
  runs.push(runtimeRun(runtime));
  try {
    const context: PackContext = { stacks, indexOf, options, scratch, rules };
    runs.push(runCloverChecks(context));
    for (const pack of options.packs) runs.push((await EXTRA_PACK_RUNNERS[pack]())(context));
  } finally {
    scratch.dispose();
  }

  const files = new Map(stacks.map((stack) => [stack.name, stack.templatePath]));
  const findings = runs
    .flatMap((run) => run.findings)
    .map((finding) => findingReport(finding, (stack) => files.get(stack)))
    .sort(compareFindings);
  const acknowledged: AcknowledgedFinding[] = runs.flatMap((run) => run.acknowledged);
  const descriptions = new Map<string, RuleDescription>();
  for (const rule of runs.flatMap((run) => run.rules))
    if (!descriptions.has(rule.id)) descriptions.set(rule.id, rule);
  const inputReport = inputReports(inputs, indexOf);
  const stackReports = inputReport.flatMap((input) => input.stacks);
  const allIndexes = stacks.map(indexOf);
  const notJudged = inventoryOf(allIndexes, (index) => notJudgedRows(index, rules));
  const incomplete = incompleteRows(stacks);

  return {
    report: {
      tool: TOOL_NAME,
      version: toolVersion(),
      generatedAt: options.generatedAt,
      options: optionsReport(options),
      inputs: inputReport,
      inputErrors,
      findings,
      summary: summarize(findings, stackReports, options.failOn, notJudged.items.length, incomplete.length),
      residency: inventoryOf(allIndexes, residencyRows),
      interimEnclaves: available(interimEnclaveRows(allIndexes)),
      encryption: inventoryOf(allIndexes, encryptionRows),
      routes: inventoryOf(allIndexes, routeProofRows),
      access: inventoryOf(allIndexes, accessRows),
      logCoverage: inventoryOf(allIndexes, logCoverageRows),
      runtimeFlows: available(runtimeFlowRows(runtime), runtime.note),
      acknowledgments: available(acknowledgmentReports(stacks, acknowledged, options.today)),
      notJudged,
      incomplete: available(incomplete),
    },
    rules: descriptions,
    dataFlow: dataFlowOf(allIndexes),
  };
}
