import type { AcknowledgedFinding } from '../../lib/audit/engine';
import type { CloverRule } from '../../lib/audit/rule';
import { MAX_BRANCHES } from '../../lib/audit/branches';
import { ALL_RULES } from '../../lib/nag/rules';
import type { TemplateIndex } from '../../lib/audit/template';
import { indexStacks } from './indexes';
import type { AuditedStack, AuditInput, InputProblem } from './inputs';
import { accessRows } from './inventory/access';
import { dataFlowOf } from './inventory/dataflow';
import { encryptionRows } from './inventory/encryption';
import { logCoverageRows } from './inventory/logging';
import { notJudgedRows } from './inventory/not-judged';
import { residencyRows } from './inventory/residency';
import { interimEnclaveRows } from './inventory/interim';
import { routeProofRows } from './inventory/routes';
import type { AuditOptions, ExtraPack } from './options';
import { describeCloverRules, runCloverChecks } from './packs/clover';
import type { PackContext, PackRun, RuleDescription } from './packs/types';
import {
  acknowledgmentReports,
  AuditResult,
  available,
  Inventory,
  compareFindings,
  compareIncomplete,
  DEFAULTS_BRANCH_NOTE,
  findingReport,
  IncompleteRow,
  incompleteRows,
  inputReports,
  optionsReport,
  summarize,
  TOOL_NAME,
} from './report';
import { proveRuntime, RuntimeOutcome } from './runtime-proof';
import type { RuntimeProofWorker } from './runtime-worker';
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
  branchNote: string | null = null,
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
  return available(
    items,
    joinNotes(failures.length ? `could not analyse: ${failures.join('; ')}` : null, branchNote),
  );
}

function joinNotes(...notes: ReadonlyArray<string | null>): string | null {
  const present = notes.filter((note): note is string => note !== null);
  return present.length > 0 ? present.join('; ') : null;
}

/** Resources no branch deploys (several parameters must change at once): listed as not judged at all. */
function unbranchedRows(
  stacks: readonly AuditedStack[],
  indexOf: (stack: AuditedStack) => TemplateIndex,
): IncompleteRow[] {
  return stacks.flatMap((stack) =>
    indexOf(stack)
      .inNoBranch()
      .map((logicalId) => ({
        stack: stack.name,
        file: stack.templatePath,
        resource: logicalId,
        transform: null,
        reason: `${logicalId} exists in no branch the audit judged (the parameter defaults, and one changed parameter at a time, at most ${MAX_BRANCHES} branches): it needs several parameters changed at once, or the template has more branches than that, so no rule judged it`,
      })),
  );
}

/** How many resources an inventory's note names before it counts the rest. */
const NAMED_CONDITIONAL_RESOURCES = 10;

/**
 * The inventories and the runtime flow proof show the branch of the parameter defaults. A resource
 * whose condition is false there is judged by the rules in the branch that deploys it, but is in none
 * of them: their notes say so, by name, so that it is never taken for compliant.
 */
function otherBranchNote(indexes: readonly TemplateIndex[]): string | null {
  const names = indexes.flatMap((index) =>
    index.onlyInOtherBranches().map((resource) => `${index.context.stackName}/${resource.logicalId}`),
  );
  if (names.length === 0) return null;
  const shown = names.slice(0, NAMED_CONDITIONAL_RESOURCES).join(', ');
  const rest = names.length - NAMED_CONDITIONAL_RESOURCES;
  return `${DEFAULTS_BRANCH_NOTE}; ${names.length} resource(s) only another parameter value deploys (${shown}${rest > 0 ? `, and ${rest} more` : ''}) are judged by the rules in that branch, not listed here`;
}

function toolVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** The proof's findings as a pack run of CloverChecks (its rules are CLV-RUN). */
function runtimeRun(outcome: RuntimeOutcome): PackRun {
  return {
    findings: [...outcome.findings],
    acknowledged: [...outcome.acknowledged],
    rules: describeCloverRules(outcome.findings.map((finding) => finding.rule)),
  };
}

/**
 * Audits loaded inputs: builds one template index per stack, runs
 * CloverChecks (and the packs named in --with), and assembles the report
 * with its inventories. `worker`, when given, is proving the runtime flows of
 * the same inputs in a worker thread (runtime-worker.ts) while this thread
 * runs the rest; otherwise (or when it gives no answer) the proof runs here.
 */
export async function evaluateInputs(
  inputs: readonly AuditInput[],
  options: AuditOptions,
  inputErrors: readonly InputProblem[] = [],
  userRules: readonly CloverRule[] = [],
  worker?: RuntimeProofWorker,
): Promise<AuditResult> {
  const rules = userRules.length ? [...ALL_RULES, ...userRules] : ALL_RULES;
  const stacks = inputs.flatMap((input) => input.stacks);
  const indexOf = indexStacks(stacks, options);
  // The runtime flow proof judges every stack of every input together: flows cross stacks and accounts.
  const proveHere = () => proveRuntime(stacks, indexOf, options.today);
  const runtimeHere = worker ? undefined : await proveHere();
  const scratch = new Scratch();
  const runs: PackRun[] = [];
  const allIndexes = stacks.map(indexOf);
  let inventories;
  try {
    const context: PackContext = { stacks, indexOf, options, scratch, rules };
    runs.push(runCloverChecks(context));
    for (const pack of options.packs) runs.push((await EXTRA_PACK_RUNNERS[pack]())(context));
    // What does not depend on the proof, while a worker may still be proving.
    const branchNote = otherBranchNote(allIndexes);
    inventories = {
      inputs: inputReports(inputs, indexOf),
      notJudged: inventoryOf(allIndexes, (index) => notJudgedRows(index, rules)),
      incomplete: [...incompleteRows(stacks), ...unbranchedRows(stacks, indexOf)].sort(compareIncomplete),
      residency: inventoryOf(allIndexes, residencyRows, branchNote),
      interimEnclaves: available(interimEnclaveRows(allIndexes)),
      encryption: inventoryOf(allIndexes, encryptionRows, branchNote),
      routes: inventoryOf(allIndexes, routeProofRows, branchNote),
      access: inventoryOf(allIndexes, accessRows, branchNote),
      logCoverage: inventoryOf(allIndexes, logCoverageRows, branchNote),
      dataFlow: dataFlowOf(allIndexes),
      branchNote,
    };
  } catch (error) {
    // In-process the proof runs first: its error is the one the audit reports.
    if (worker) await worker.outcome(stacks);
    throw error;
  } finally {
    scratch.dispose();
  }
  const runtime = runtimeHere ?? (await worker!.outcome(stacks)) ?? (await proveHere());
  runs.unshift(runtimeRun(runtime));

  const files = new Map(stacks.map((stack) => [stack.name, stack.templatePath]));
  const findings = runs
    .flatMap((run) => run.findings)
    .map((finding) => findingReport(finding, (stack) => files.get(stack)))
    .sort(compareFindings);
  const acknowledged: AcknowledgedFinding[] = runs.flatMap((run) => run.acknowledged);
  const descriptions = new Map<string, RuleDescription>();
  for (const rule of runs.flatMap((run) => run.rules))
    if (!descriptions.has(rule.id)) descriptions.set(rule.id, rule);
  const { notJudged, incomplete } = inventories;
  const stackReports = inventories.inputs.flatMap((input) => input.stacks);

  return {
    report: {
      tool: TOOL_NAME,
      version: toolVersion(),
      generatedAt: options.generatedAt,
      options: optionsReport(options),
      inputs: inventories.inputs,
      inputErrors,
      findings,
      summary: summarize(findings, stackReports, options.failOn, notJudged.items.length, incomplete.length),
      residency: inventories.residency,
      interimEnclaves: inventories.interimEnclaves,
      encryption: inventories.encryption,
      routes: inventories.routes,
      access: inventories.access,
      logCoverage: inventories.logCoverage,
      runtimeFlows: available([...runtime.rows], joinNotes(runtime.note, inventories.branchNote)),
      acknowledgments: available(acknowledgmentReports(stacks, acknowledged, options.today)),
      notJudged,
      incomplete: available(incomplete),
    },
    rules: descriptions,
    dataFlow: inventories.dataFlow,
  };
}
