import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeployPlan, describePlanProblems, planDeployment } from '../../lib/audit/deploy';
import { AuditInputError } from '../audit/errors';
import { readPlanInputs } from './assembly';
import { PlanFormat, renderPlan } from './render';
import { synthesizeApp } from './synth';

export interface PlanOptions {
  /** A cdk.out directory; when absent, the project's app is synthesized. */
  readonly assembly?: string;
  /** `-c key=value` context for the synth. */
  readonly context: Readonly<Record<string, string>>;
  readonly format: PlanFormat;
  /** Keep the synthesized cloud assembly here (to deploy exactly what was planned). */
  readonly outdir?: string;
  /** The CDK project directory. @default the working directory */
  readonly projectDirectory?: string;
}

/** Exit codes: 0 a plan with waves, 1 no order exists (a cycle, or the synth gate failed), 2 bad input. */
export async function runPlan(options: PlanOptions): Promise<number> {
  if (options.assembly !== undefined) {
    if (Object.keys(options.context).length > 0 || options.outdir !== undefined) {
      throw new AuditInputError(
        '-c and -o apply when clover plan synthesizes the app; give them, or a cdk.out directory, not both',
      );
    }
    const plan = planDeployment(readPlanInputs(path.resolve(options.assembly), options.assembly));
    process.stdout.write(
      renderPlan(plan, options.format, {
        source: options.assembly,
        deployArguments: ['--app', options.assembly],
      }),
    );
    return describePlanProblems(plan) === undefined ? 0 : 1;
  }

  const outdir =
    options.outdir !== undefined
      ? path.resolve(options.outdir)
      : fs.mkdtempSync(path.join(os.tmpdir(), 'clover-plan-'));
  try {
    let appOutput = '';
    const synth = await synthesizeApp({
      projectDirectory: options.projectDirectory ?? process.cwd(),
      context: options.context,
      outdir,
      log: (text) => {
        appOutput += text;
      },
    });
    // An app that fails early may still leave an empty assembly (the CDK App synthesizes on exit).
    let plan: DeployPlan | undefined;
    try {
      plan = synth.wroteAssembly
        ? planDeployment(readPlanInputs(outdir, options.outdir ?? 'the synthesized assembly'))
        : undefined;
    } catch (error) {
      if (!(error instanceof AuditInputError) || synth.exitCode === 0) throw error;
    }
    if (plan === undefined) {
      process.stderr.write(appOutput);
      throw new AuditInputError(
        `the app exited ${synth.exitCode} before writing a cloud assembly; fix what it reports above`,
      );
    }
    const problems = describePlanProblems(plan);
    // A plan without order explains itself; otherwise the app's own messages (the policy gate) stand.
    if (problems === undefined) process.stderr.write(appOutput);
    const contextArguments = Object.entries(options.context).flatMap(([key, value]) => [
      '-c',
      `${key}=${value}`,
    ]);
    const source = contextArguments.length > 0 ? `the app (${contextArguments.join(' ')})` : 'the app';
    process.stdout.write(
      renderPlan(plan, options.format, {
        source,
        deployArguments: options.outdir !== undefined ? ['--app', options.outdir] : contextArguments,
      }),
    );
    if (problems !== undefined) return 1;
    if (synth.exitCode !== 0) {
      process.stderr.write(
        `clover plan: the app exited ${synth.exitCode} after synthesizing (see its messages above): fix that before deploying\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    if (options.outdir === undefined) fs.rmSync(outdir, { recursive: true, force: true });
  }
}
