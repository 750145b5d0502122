import { execFile } from 'child_process';
import * as path from 'path';

/** The repository root: the CLI runs from there, as `npx clover` does. */
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = 'test/fixtures/audit';

/** 2026-11-23T00:00:00Z: a fixed SOURCE_DATE_EPOCH, so reports are reproducible. */
export const FIXED_EPOCH = '1795392000';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node cli/clover.js <args>` from the repository root in a child process. */
export function clover(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['cli/clover.js', ...args],
      {
        cwd: REPO,
        env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH, ...env },
        timeout: 170_000,
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `clover audit <args> --format json` and parses the report. */
export async function auditJson(args: readonly string[], env: Record<string, string> = {}) {
  const result = await clover(['audit', ...args, '--format', 'json'], env);
  let report: AuditJson | undefined;
  try {
    report = JSON.parse(result.stdout) as AuditJson;
  } catch {
    report = undefined;
  }
  return { ...result, report };
}

/** The parts of the JSON report the tests read (docs/audit.md documents all of it). */
export interface AuditJson {
  readonly tool: string;
  readonly version: string;
  readonly generatedAt: string;
  readonly options: { readonly today: string; readonly region: string | null; readonly with: string[] };
  readonly inputs: ReadonlyArray<{
    readonly path: string;
    readonly kind: string;
    readonly files: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
    readonly stacks: ReadonlyArray<{
      readonly name: string;
      readonly region: string | null;
      readonly regionSource: string;
      readonly account: string | null;
      readonly resources: number;
    }>;
  }>;
  readonly findings: ReadonlyArray<{
    readonly rule: string;
    readonly severity: string;
    readonly stack: string;
    readonly resource: string;
    readonly path: string | null;
    readonly message: string;
  }>;
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    readonly resources: number;
    readonly stacks: number;
    readonly verdict: string;
    readonly notJudged: number;
  };
  readonly residency: Inventory;
  readonly encryption: Inventory;
  readonly routes: Inventory;
  readonly access: Inventory;
  readonly logCoverage: Inventory;
  readonly acknowledgments: Inventory;
  readonly notJudged: Inventory;
  readonly incomplete: Inventory;
}

interface Inventory {
  readonly available: boolean;
  readonly note: string | null;
  readonly items: ReadonlyArray<Record<string, unknown>>;
}

export function ruleIds(report: AuditJson | undefined): string[] {
  return [...new Set((report?.findings ?? []).map((finding) => finding.rule))].sort();
}
