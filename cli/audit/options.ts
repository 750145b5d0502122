import { DEFAULT_ALLOWED_JURISDICTIONS, EUROPEAN_JURISDICTIONS, findRegion } from '../../lib/config/regions';
import { isCalendarDate } from '../../lib/config/dates';
import {
  EXTRA_PACKS,
  ExtraPack,
  FAIL_ON,
  FailOn,
  FORMATS,
  ReportFormat,
  RUNTIME_WORKER_MODES,
  RuntimeWorkerMode,
} from './choices';
import { AuditInputError } from './errors';

export { EXTRA_PACKS, FAIL_ON, FORMATS } from './choices';
export type { ExtraPack, FailOn, ReportFormat } from './choices';

/** The options of `clover audit` as commander hands them over (strings, unvalidated). */
export interface RawAuditOptions {
  readonly region?: string;
  readonly jurisdictions?: string;
  readonly with?: readonly string[];
  readonly today?: string;
  readonly format?: string;
  readonly out?: string;
  readonly failOn?: string;
  readonly auditLogRetention?: string;
  readonly rules?: readonly string[];
}

/** Validated options of one audit run. */
export interface AuditOptions {
  readonly inputs: readonly string[];
  /** Region for bare templates and environment-agnostic stacks. */
  readonly region?: string;
  readonly jurisdictions: readonly string[];
  readonly packs: readonly ExtraPack[];
  /** Date for sunsets and acknowledgment expiries (`YYYY-MM-DD`). */
  readonly today: string;
  /** ISO timestamp printed in the report: from `SOURCE_DATE_EPOCH` when set, so output is reproducible. */
  readonly generatedAt: string;
  readonly format: ReportFormat;
  readonly out?: string;
  readonly failOn: FailOn;
  /** Shortest retention, in days, of audit logs; undefined for CloverChecks' default (365). */
  readonly auditLogRetentionDays?: number;
  /** Modules of rules of your own (`--rules`), run beside CloverChecks' (docs/extending.md). */
  readonly rules: readonly string[];
  /**
   * Whether the runtime flow proof runs in a worker thread (cli/audit/runtime-worker.ts): `auto`
   * (the default) for large inputs; `always` and `never` are for tests and benchmarks. The report is the same.
   */
  readonly runtimeWorker?: RuntimeWorkerMode;
  /**
   * The nice value the main thread takes while a worker started by `auto` proves (yieldToProof in
   * runtime-worker.ts), from `CLOVER_AUDIT_NICE`: 0 (the default for `run()`) leaves it as it is; the
   * `clover` command sets 10 unless the variable is given.
   */
  readonly mainThreadNice: number;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new AuditInputError(`${option} "${value}" is not one of: ${allowed.join(', ')}`);
}

/** `--with a,b --with c` → `[a, b, c]`, each checked, in catalogue order. */
function parsePacks(values: readonly string[]): ExtraPack[] {
  const named = values
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  const packs = new Set(named.map((name) => oneOf(name, EXTRA_PACKS, '--with')));
  return EXTRA_PACKS.filter((pack) => packs.has(pack));
}

function parseJurisdictions(value: string | undefined): string[] {
  if (value === undefined) return [...DEFAULT_ALLOWED_JURISDICTIONS];
  const named = value
    .split(',')
    .map((name) => name.trim().toUpperCase())
    .filter(Boolean);
  if (named.length === 0)
    throw new AuditInputError(`--jurisdictions is empty; give some of: ${EUROPEAN_JURISDICTIONS.join(', ')}`);
  for (const name of named) oneOf(name, EUROPEAN_JURISDICTIONS, '--jurisdictions');
  return EUROPEAN_JURISDICTIONS.filter((jurisdiction) => named.includes(jurisdiction));
}

/** Checks a region code against Clover's catalogue; `what` names where it came from. */
export function checkRegion(region: string, what: string): string {
  if (findRegion(region)) return region;
  throw new AuditInputError(
    `${what} "${region}" is not a known AWS region; use a region code such as eu-west-1, eu-central-1 or eu-north-1`,
  );
}

/** The report timestamp: `SOURCE_DATE_EPOCH` (Unix seconds) when set, else now. */
export function resolveGeneratedAt(env: NodeJS.ProcessEnv, now: Date = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return now.toISOString();
  const seconds = Number(epoch);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new AuditInputError(
      `SOURCE_DATE_EPOCH "${epoch}" is not a whole number of seconds; unset it or give Unix seconds`,
    );
  }
  return new Date(seconds * 1000).toISOString();
}

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1) {
    throw new AuditInputError(
      `--audit-log-retention "${value}" is not a whole number of days; give e.g. 365`,
    );
  }
  return days;
}

/** Validates every option; the first bad one throws an AuditInputError naming it and the fix. */
export function resolveOptions(
  inputs: readonly string[],
  raw: RawAuditOptions,
  env: NodeJS.ProcessEnv = process.env,
): AuditOptions {
  if (inputs.length === 0)
    throw new AuditInputError('name at least one cdk.out directory or template file to audit');
  if (raw.today !== undefined && !isCalendarDate(raw.today)) {
    throw new AuditInputError(`--today "${raw.today}" is not a date; write it as YYYY-MM-DD`);
  }
  const generatedAt = resolveGeneratedAt(env);
  // Like synth's -c today: explicit, else the day of SOURCE_DATE_EPOCH, else today (UTC).
  const today = raw.today ?? generatedAt.slice(0, 10);
  return {
    inputs,
    region: raw.region === undefined ? undefined : checkRegion(raw.region, '--region'),
    jurisdictions: parseJurisdictions(raw.jurisdictions),
    packs: parsePacks(raw.with ?? []),
    today,
    generatedAt,
    format: oneOf(raw.format ?? 'text', FORMATS, '--format'),
    out: raw.out,
    failOn: oneOf(raw.failOn ?? 'error', FAIL_ON, '--fail-on'),
    auditLogRetentionDays: parseDays(raw.auditLogRetention),
    rules: (raw.rules ?? [])
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean),
    runtimeWorker:
      env.CLOVER_AUDIT_WORKER === undefined || env.CLOVER_AUDIT_WORKER === ''
        ? undefined
        : oneOf(env.CLOVER_AUDIT_WORKER, RUNTIME_WORKER_MODES, 'CLOVER_AUDIT_WORKER'),
    mainThreadNice: parseNice(env.CLOVER_AUDIT_NICE),
  };
}

/** `CLOVER_AUDIT_NICE`: a nice value from 0 (leave the main thread as it is) to 19. */
function parseNice(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 0;
  if (!/^\s*\d+\s*$/.test(value) || Number(value) > 19)
    throw new AuditInputError(
      `CLOVER_AUDIT_NICE "${value}" is not a nice value; write a whole number from 0 (leave the main thread's priority as it is) to 19`,
    );
  return Number(value);
}
