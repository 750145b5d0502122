import { daysToSunset } from '../../../lib/audit/interim';
import type { InterimMetadata, TemplateIndex } from '../../../lib/audit/template';
import { describeRegion, findRegion } from '../../../lib/config/regions';

/** One evidence file of `clover migration verify` that the cut-over gate matched to a store at synth. */
export type InterimEvidenceRow = NonNullable<InterimMetadata['evidence']>[number];

/** One interim enclave of the audited templates, as its `Clover::Enclave` metadata records it. */
export interface InterimEnclaveRow {
  readonly enclave: string;
  readonly account: string | null;
  readonly region: string | null;
  /** `NON-EU:US (N. Virginia, US)`, `CH`, …: where the interim enclave's data sits. */
  readonly jurisdiction: string;
  readonly phase: string;
  /** Phases already passed, each with the day the enclave left it. */
  readonly history: ReadonlyArray<{ readonly phase: string; readonly date: string }>;
  readonly sunset: string;
  /** Whole days from the audit's date to the sunset (negative after it). */
  readonly daysToSunset: number;
  readonly migrateTo: string;
  readonly evidence: readonly InterimEvidenceRow[];
  /** Stacks of the enclave among the inputs. */
  readonly stacks: readonly string[];
}

/**
 * The interim enclaves among the audited stacks, one row each (their stacks carry the same metadata):
 * jurisdiction, lifecycle, days to sunset, target and the migration evidence read at synth.
 */
export function interimEnclaveRows(indexes: readonly TemplateIndex[]): InterimEnclaveRow[] {
  const rows = new Map<string, InterimEnclaveRow>();
  for (const index of indexes) {
    const enclave = index.enclave;
    const interim = enclave?.interim;
    if (!enclave || !interim) continue;
    const existing = rows.get(enclave.name);
    if (existing) {
      rows.set(enclave.name, { ...existing, stacks: [...existing.stacks, index.context.stackName] });
      continue;
    }
    const region = index.context.region ?? null;
    const place = region ? findRegion(region) : undefined;
    rows.set(enclave.name, {
      enclave: enclave.name,
      account: index.context.account ?? null,
      region,
      jurisdiction: region ? `${place?.jurisdiction ?? 'unknown'} (${describeRegion(region)})` : 'unknown',
      phase: interim.phase ?? 'hosting',
      history: interim.history ?? [],
      sunset: interim.sunset,
      daysToSunset: daysToSunset(interim.sunset, index.context.today),
      migrateTo: interim.migrateTo,
      evidence: interim.evidence ?? [],
      stacks: [index.context.stackName],
    });
  }
  return [...rows.values()].sort((a, b) => (a.enclave < b.enclave ? -1 : a.enclave > b.enclave ? 1 : 0));
}
