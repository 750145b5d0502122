import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { isObject } from '../../lib/audit/values';
import { AuditInputError } from '../audit/errors';

export interface SynthOptions {
  /** Directory holding cdk.json (the CDK project). */
  readonly projectDirectory: string;
  /** `-c key=value` pairs, on top of cdk.json's and cdk.context.json's context. */
  readonly context: Readonly<Record<string, string>>;
  /** Where the app writes its cloud assembly. */
  readonly outdir: string;
  /** Receives the app's own output (stdout and stderr), so it never mixes with the plan on stdout. */
  readonly log: (text: string) => void;
}

export interface SynthResult {
  readonly exitCode: number;
  /** Whether the app wrote a cloud assembly (it may exit non-zero afterwards, e.g. on policy gate findings). */
  readonly wroteAssembly: boolean;
}

function readJsonObject(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AuditInputError(`${file} is not valid JSON (${(error as Error).message}); fix it`);
  }
  if (!isObject(parsed)) throw new AuditInputError(`${file} does not hold a JSON object; fix it`);
  return parsed;
}

/**
 * Synthesizes the CDK app of a project the way `cdk synth` runs it: cdk.json's `app` command through
 * the shell, with the context in `CDK_CONTEXT_JSON` and the output directory in `CDK_OUTDIR`. Asset
 * bundling is skipped: a deploy plan reads templates, not asset contents. No credentials are used.
 */
export async function synthesizeApp(options: SynthOptions): Promise<SynthResult> {
  const cdkJsonFile = path.join(options.projectDirectory, 'cdk.json');
  const cdkJson = readJsonObject(cdkJsonFile);
  if (!cdkJson || typeof cdkJson.app !== 'string') {
    throw new AuditInputError(
      `${options.projectDirectory} has no cdk.json with an "app" command; run clover plan in the CDK project, or give a cdk.out directory`,
    );
  }
  const saved = readJsonObject(path.join(options.projectDirectory, 'cdk.context.json')) ?? {};
  const context = {
    ...(isObject(cdkJson.context) ? cdkJson.context : {}),
    ...saved,
    ...options.context,
    'aws:cdk:bundling-stacks': [],
    'aws:cdk:disable-stack-trace': true,
    'aws:cdk:disable-creation-stack-traces': true,
  };
  fs.mkdirSync(options.outdir, { recursive: true });
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(cdkJson.app as string, {
      cwd: options.projectDirectory,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_OUTDIR: options.outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    child.stdout.on('data', (chunk: Buffer) => options.log(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => options.log(chunk.toString()));
    child.on('error', (error) =>
      reject(new AuditInputError(`cannot run the app "${cdkJson.app}": ${error.message}`)),
    );
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  return { exitCode, wroteAssembly: fs.existsSync(path.join(options.outdir, 'manifest.json')) };
}
