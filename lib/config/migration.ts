import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { dataBucketName, dataTableName } from './naming';
import { ConfigError, ConfigProblem } from './errors';
import {
  EVIDENCE_KIND,
  EVIDENCE_TOOL,
  REPORT_KINDS,
  type Counts,
  type MigrationVerification,
  type ReportKind,
} from './migration-evidence';
import type { CloverConfig, EnclaveConfig, InterimPhase } from './types';

/** Context key of the evidence: `-c migrationEvidence=<file or directory>`. */
export const MIGRATION_EVIDENCE_CONTEXT_KEY = 'migrationEvidence';

/** Phases whose synth needs complete evidence for every store. */
const GATED_PHASES: readonly InterimPhase[] = ['cutover'];
/** Phases in which evidence, when given, must be complete: the stores are frozen or being deleted. */
const FROZEN_PHASES: readonly InterimPhase[] = ['cutover', 'decommissioned'];

/** One store of an interim enclave and where it migrates. */
export interface MigrationStore {
  readonly kind: 'bucket' | 'table';
  /** The bucket's data class (buckets only). */
  readonly dataClass?: string;
  /** Name of the interim store: the bucket or the table. */
  readonly source: string;
  /** Name of the target enclave's store that receives it. */
  readonly destination: string;
}

/** Every data store of an interim enclave, paired with the store of its target that receives it. */
export function migrationStores(enclave: EnclaveConfig, target: EnclaveConfig): MigrationStore[] {
  return [
    ...enclave.dataClasses.map((dataClass) => ({
      kind: 'bucket' as const,
      dataClass,
      source: dataBucketName(enclave.name, dataClass, enclave.account, enclave.region),
      destination: dataBucketName(target.name, dataClass, target.account, target.region),
    })),
    { kind: 'table' as const, source: dataTableName(enclave.name), destination: dataTableName(target.name) },
  ];
}

/** The interim enclaves of a config, each with its target. */
export function interimEnclaves(
  config: CloverConfig,
): Array<{ readonly enclave: EnclaveConfig; readonly target: EnclaveConfig; readonly index: number }> {
  return config.enclaves.flatMap((enclave, index) => {
    const target = enclave.interim && config.enclaves.find((e) => e.name === enclave.interim!.migrateTo);
    return target ? [{ enclave, target, index }] : [];
  });
}

/** One evidence file as read from disk. */
export interface EvidenceFile {
  /** The path as found (relative to the working directory when inside it). */
  readonly file: string;
  /** sha256 of the file's bytes. */
  readonly sha256: string;
  readonly evidence: MigrationVerification;
}

/** What the templates record about one evidence file (`Clover::Enclave` metadata), for the report. */
export interface EvidenceRecord {
  readonly file: string;
  readonly sha256: string;
  readonly generatedAt: string;
  readonly kind: ReportKind;
  readonly source: string;
  readonly destination: string;
  readonly verdict: string;
  readonly missing: number;
  readonly mismatched: number;
}

function problem(value: unknown, text: string, fix: string): ConfigProblem {
  return { path: `-c ${MIGRATION_EVIDENCE_CONTEXT_KEY}`, value, problem: text, fix };
}

const PRODUCE_IT = 'pass the JSON that `clover migration verify --out <file>` writes (docs/migration.md)';

/**
 * Reads `-c migrationEvidence`: one evidence file, or every `.json` file under a directory. Throws a
 * ConfigError naming each file that cannot be read or is not evidence of `clover migration verify`.
 */
export function readMigrationEvidence(location: string): EvidenceFile[] {
  let files: string[];
  try {
    files = fs.statSync(location).isDirectory() ? jsonFilesUnder(location) : [location];
  } catch {
    throw new ConfigError(
      [problem(location, 'names no file or directory', `check the path (relative to ${process.cwd()})`)],
      location,
    );
  }
  if (files.length === 0) {
    throw new ConfigError(
      [problem(location, 'is a directory without any .json evidence file', PRODUCE_IT)],
      location,
    );
  }
  const problems: ConfigProblem[] = [];
  const read: EvidenceFile[] = [];
  for (const file of files) {
    const shown = displayPath(file);
    const bytes = fs.readFileSync(file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      problems.push(problem(shown, `is not JSON (${(error as Error).message})`, PRODUCE_IT));
      continue;
    }
    const why = evidenceShapeProblem(parsed);
    if (why) {
      problems.push(problem(shown, `is not migration evidence: ${why}`, PRODUCE_IT));
      continue;
    }
    read.push({
      file: shown,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      evidence: parsed as MigrationVerification,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, location);
  return read;
}

function jsonFilesUnder(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return jsonFilesUnder(full);
      return entry.isFile() && entry.name.endsWith('.json') ? [full] : [];
    });
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  const outside = relative.startsWith('..') || path.isAbsolute(relative);
  return (outside ? path.resolve(file) : relative).split(path.sep).join('/');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** Why a parsed JSON value is not evidence the gate can trust, or undefined when it is. */
export function evidenceShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'it is not a JSON object';
  if (value.tool !== EVIDENCE_TOOL || value.kind !== EVIDENCE_KIND)
    return `tool and kind are ${JSON.stringify(value.tool)} and ${JSON.stringify(value.kind)}, not "${EVIDENCE_TOOL}" and "${EVIDENCE_KIND}"`;
  for (const side of ['source', 'destination'] as const) {
    const report = value[side];
    if (!isRecord(report) || typeof report.store !== 'string' || report.store === '')
      return `${side}.store is missing`;
    if (!(REPORT_KINDS as readonly unknown[]).includes(report.kind))
      return `${side}.kind ${JSON.stringify(report.kind)} is not one of: ${REPORT_KINDS.join(', ')}`;
  }
  const counts = (value as { objects?: unknown; items?: unknown }).objects ?? value.items;
  if (
    !isRecord(counts) ||
    !['source', 'destination', 'missing', 'mismatched'].every((k) => isCount(counts[k]))
  )
    return 'objects (or items) does not hold the counts source, destination, missing and mismatched';
  if (value.verdict !== 'complete' && value.verdict !== 'incomplete')
    return `verdict ${JSON.stringify(value.verdict)} is neither "complete" nor "incomplete"`;
  if (value.verdict === 'complete' && (counts.missing !== 0 || counts.mismatched !== 0))
    return `verdict is "complete" but it counts ${counts.missing} missing and ${counts.mismatched} mismatched`;
  if (typeof value.generatedAt !== 'string') return 'generatedAt is missing';
  if (!Array.isArray(value.missing)) return 'missing is not a list';
  return undefined;
}

function countsOf(evidence: MigrationVerification): Counts {
  return (evidence.objects ?? evidence.items)!;
}

function record(file: EvidenceFile): EvidenceRecord {
  const { evidence } = file;
  const counts = countsOf(evidence);
  return {
    file: file.file,
    sha256: file.sha256,
    generatedAt: evidence.generatedAt,
    kind: evidence.source.kind,
    source: evidence.source.store,
    destination: evidence.destination.store,
    verdict: evidence.verdict,
    missing: counts.missing,
    mismatched: counts.mismatched,
  };
}

function describeStore(store: MigrationStore): string {
  return store.kind === 'bucket'
    ? `bucket ${store.source} (data class ${store.dataClass})`
    : `table ${store.source}`;
}

/**
 * The cut-over gate. Matches the evidence files to the stores of every interim enclave (by source
 * store and report kind; the newest file of a store decides) and returns, per enclave, the records
 * of its evidence for the templates. Throws one ConfigError naming every store of an enclave in
 * `cutover` without evidence, whose evidence names another destination, or shows anything missing
 * or mismatched. Evidence given for a `decommissioned` enclave must hold too; while `hosting` or
 * `replicating` it only shows progress.
 */
export function gateMigrationEvidence(
  config: CloverConfig,
  files: readonly EvidenceFile[],
  source: string,
): Map<string, EvidenceRecord[]> {
  const problems: ConfigProblem[] = [];
  const byEnclave = new Map<string, EvidenceRecord[]>();
  for (const { enclave, target, index } of interimEnclaves(config)) {
    const phase = enclave.interim!.phase;
    const gated = GATED_PHASES.includes(phase);
    const frozen = FROZEN_PHASES.includes(phase);
    const records: EvidenceRecord[] = [];
    for (const store of migrationStores(enclave, target)) {
      const kind: ReportKind = store.kind === 'bucket' ? 's3-inventory' : 'dynamodb-export';
      const candidates = files
        .filter((file) => file.evidence.source.store === store.source && file.evidence.source.kind === kind)
        .sort(
          (a, b) =>
            compareText(a.evidence.generatedAt, b.evidence.generatedAt) || compareText(a.file, b.file),
        );
      records.push(...candidates.map(record));
      const newest = candidates[candidates.length - 1];
      const at = `enclaves[${index}].interim.phase`;
      if (!newest) {
        if (gated) {
          problems.push({
            path: at,
            value: phase,
            problem: `needs migration evidence for ${describeStore(store)} of interim enclave "${enclave.name}", but ${files.length === 0 ? `no -c ${MIGRATION_EVIDENCE_CONTEXT_KEY} was given` : `no evidence file names it as source (${kind})`}`,
            fix: `verify it against ${store.destination} with clover migration verify --out <file> and pass -c ${MIGRATION_EVIDENCE_CONTEXT_KEY}=<file or directory>; or keep interim.phase "replicating"`,
          });
        }
        continue;
      }
      const { evidence } = newest;
      // While hosting or replicating, evidence shows progress: recorded for the report, never a failure.
      if (!frozen) continue;
      if (evidence.destination.store !== store.destination) {
        problems.push(
          problem(
            newest.file,
            `verifies ${describeStore(store)} of interim enclave "${enclave.name}" against ${evidence.destination.store}, but that store migrates into ${store.destination} (enclave "${target.name}")`,
            `verify ${store.source} against ${store.destination}`,
          ),
        );
        continue;
      }
      if (evidence.verdict !== 'complete') {
        const counts = countsOf(evidence);
        const unit = store.kind === 'bucket' ? 'object' : 'item';
        const first =
          evidence.missing.length > 0 ? ` (first missing: ${JSON.stringify(evidence.missing[0])})` : '';
        problems.push(
          problem(
            newest.file,
            `shows ${describeStore(store)} of interim enclave "${enclave.name}" incomplete in ${store.destination}: ${counts.missing} missing ${unit}${counts.missing === 1 ? '' : 's'}${first}, ${counts.mismatched} mismatched`,
            `finish the copy (docs/migration.md, "Replicating"), verify again and pass the new evidence${gated ? '; or keep interim.phase "replicating"' : ''}`,
          ),
        );
      }
    }
    if (records.length > 0) byEnclave.set(enclave.name, records);
  }
  if (problems.length > 0) throw new ConfigError(problems, source);
  return byEnclave;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Phases in which an interim enclave's data moves into its target (replication, exports, verifier). */
export function isMigrating(phase: InterimPhase): phase is 'replicating' | 'cutover' {
  return phase === 'replicating' || phase === 'cutover';
}

/** The enclaves that interim enclaves migrate into while they replicate or cut over (each once). */
export function migrationTargets(config: CloverConfig): EnclaveConfig[] {
  const names = new Set(
    interimEnclaves(config)
      .filter(({ enclave }) => isMigrating(enclave.interim!.phase))
      .map(({ target }) => target.name),
  );
  return config.enclaves.filter((enclave) => names.has(enclave.name));
}
