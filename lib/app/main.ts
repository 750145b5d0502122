import * as path from 'path';
import type { AppProps } from 'aws-cdk-lib';
import { ConfigError } from '../config/errors';
import { RuleModuleError } from '../nag/user-rules';
import { EMBEDDED_DEFAULT_SOURCE } from '../config/load';
import { deployOrderProblems } from './assembly-plan';
import { buildCloverApp, CloverApp } from './clover-app';
import { formatGateSummary, runGate } from './gate';
import { WorkloadError } from '../stages/enclave-stage';
import { DeployOrderError } from './pipeline';

export interface MainOptions {
  /** Extra App props (context, outdir). */
  readonly appProps?: AppProps;
  /**
   * Adds your own stacks before synth, e.g. `built.enclaveStages[0].addWorkload(…)` (docs/workloads.md).
   * @default no workloads
   */
  readonly workloads?: (built: CloverApp) => void;
  /** Changes the app before synth; used by tests to plant a violation. */
  readonly customise?: (built: CloverApp) => void;
}

/**
 * Entry point of `bin/clover.ts`: builds and synthesizes the App, then closes
 * the policy gate (every pack, and the runtime flow proof over the whole
 * assembly). Resolves to the process exit code: 0 clean, 1 on a config error,
 * any error-level finding in any stage, or stages that need each other (no deploy order).
 */
export async function main(options: MainOptions = {}): Promise<number> {
  let built: CloverApp;
  try {
    built = buildCloverApp(options.appProps);
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof DeployOrderError ||
      error instanceof RuleModuleError
    ) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // One line naming the config, on stderr so that `cdk synth`'s template on stdout stays clean.
  process.stderr.write(`${configLine(built.loaded.source)}\n`);
  try {
    options.workloads?.(built);
  } catch (error) {
    if (!(error instanceof WorkloadError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  options.customise?.(built);
  const assembly = built.app.synth();
  const result = await runGate(built, assembly);
  if (result.errors > 0 || result.warnings > 0 || result.runtime?.note)
    process.stderr.write(`${formatGateSummary(result, displayPath(assembly.directory))}\n`);
  // Stages that need each other cannot be deployed in any order (clover plan shows the waves).
  const orderProblems = built.pipeline ? undefined : deployOrderProblems(assembly);
  if (orderProblems !== undefined) process.stderr.write(`${orderProblems}\n`);
  return result.errors > 0 || orderProblems !== undefined ? 1 : 0;
}

/** The line every synth prints: which config it used. */
export function configLine(source: string): string {
  return source === EMBEDDED_DEFAULT_SOURCE ? 'Clover: embedded default config' : `Clover: config ${source}`;
}

/** A directory relative to the working directory when it lies inside it, else absolute. */
function displayPath(directory: string): string {
  const relative = path.relative(process.cwd(), directory);
  if (relative === '') return '.';
  const outside = relative.startsWith('..') || path.isAbsolute(relative);
  return outside ? directory : relative;
}
