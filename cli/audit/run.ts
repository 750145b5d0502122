import type { CloverRule } from '../../lib/audit/rule';
import { AuditInputError } from './errors';
import { readInputs, templateBytes } from './inputs';
import { RuntimeProofWorker, WORKER_THRESHOLD_BYTES, yieldToProof } from './runtime-worker';
import type { AuditOptions } from './options';
import type { AuditResult } from './report';

/**
 * Audits the inputs named in the options. Inputs are read and checked first,
 * before the rules are loaded: when none can be read, that fails fast
 * (AuditInputError); otherwise the readable ones are audited and the others
 * are listed in the result's `inputErrors`.
 */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  // Large inputs: the runtime flow proof starts first, in a worker thread reading the inputs itself.
  const worker = runtimeWorkerFor(options);
  try {
    const rules = options.rules.length ? await loadRules(options.rules) : [];
    const { inputs, problems } = readInputs(options.inputs, { region: options.region });
    if (inputs.length === 0) {
      throw new AuditInputError(
        problems.length === 1
          ? problems[0].message
          : `none of the inputs could be read:\n${problems.map((problem) => `  ${problem.message}`).join('\n')}`,
      );
    }
    const { evaluateInputs } = await import('./evaluate');
    return await evaluateInputs(inputs, options, problems, rules, worker);
  } finally {
    worker?.dispose();
  }
}

/** A worker proving the runtime flows of the options' inputs, when they are large enough (runtime-worker.ts). */
function runtimeWorkerFor(options: AuditOptions): RuntimeProofWorker | undefined {
  const mode = options.runtimeWorker ?? 'auto';
  if (mode === 'never') return undefined;
  if (mode === 'auto' && templateBytes(options.inputs, WORKER_THRESHOLD_BYTES) < WORKER_THRESHOLD_BYTES)
    return undefined;
  const worker = RuntimeProofWorker.start({
    inputs: options.inputs,
    region: options.region,
    jurisdictions: options.jurisdictions,
    today: options.today,
    auditLogRetentionDays: options.auditLogRetentionDays,
  });
  // Large inputs: the proof is the critical path, this thread's work is not (runtime-worker.ts). Not
  // for `always`, which tests and diagnoses on any input (in a test runner's process, say).
  if (worker && mode === 'auto' && options.mainThreadNice > 0) {
    const nice = yieldToProof(options.mainThreadNice);
    if (nice !== undefined && process.env.CLOVER_DEBUG === '1')
      process.stderr.write(`clover: this thread runs at nice ${nice} while the worker proves\n`);
  }
  return worker;
}

/** The `--rules` modules' rules; a module that cannot be loaded or holds no valid rule is bad input. */
async function loadRules(modules: readonly string[]): Promise<CloverRule[]> {
  const { loadUserRules, RuleModuleError } = await import('../../lib/nag/user-rules');
  try {
    return loadUserRules(modules);
  } catch (error) {
    if (error instanceof RuleModuleError) throw new AuditInputError(`--rules: ${error.message}`);
    throw error;
  }
}
