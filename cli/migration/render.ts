import type {
  ItemState,
  Mismatch,
  MigrationVerification,
  ObjectState,
  VerifiedReport,
} from '../../lambda/migration/verification/evidence';
import type { VerifyFormat } from './options';
import type { VerifyResult } from '../../lambda/migration/verification/run';

/** The evidence file: the JSON document docs/migration.md describes, with a final line break. */
export function renderEvidence(evidence: MigrationVerification): string {
  return `${JSON.stringify(evidence, null, 2)}\n`;
}

function describeReport(report: VerifiedReport): string {
  return `${report.kind} of ${report.store}: ${report.path} (sha256 ${report.sha256})`;
}

function describeState(state: ObjectState | ItemState): string {
  if ('sha256' in state) return `sha256 ${state.sha256.slice(0, 16)}…`;
  if (state.deleteMarker) return 'delete marker';
  return `${state.size ?? '?'} bytes${state.etag ? `, ETag ${state.etag}` : ''}`;
}

function describeMismatch(mismatch: Mismatch): string {
  return `${mismatch.key}: ${mismatch.reason} differs (${describeState(mismatch.source)} → ${describeState(mismatch.destination)})`;
}

function listing(title: string, total: number, entries: readonly string[]): string[] {
  if (total === 0) return [];
  const heading =
    entries.length < total ? `${title} (first ${entries.length} of ${total}, in key order):` : `${title}:`;
  return [heading, ...entries.map((entry) => `  ${entry}`)];
}

function describeComparison(result: VerifyResult): string {
  const { evidence } = result;
  if (evidence.items) return `${evidence.comparison} (items match on --key and a sha256 of the whole item)`;
  return (
    `${evidence.comparison} (of ${result.matched} objects in both: ETag compared on ${result.etagCompared}, ` +
    `where both are MD5 digests; size only on ${result.sizeOnly}: SSE-KMS, SSE-C, multipart, or no ` +
    'EncryptionStatus in a report)'
  );
}

/** A summary for a terminal. */
export function renderText(result: VerifyResult): string {
  const { evidence } = result;
  const counts = (evidence.objects ?? evidence.items)!;
  const noun = evidence.objects ? 'objects' : 'items';
  const lines = [
    `clover migration verify: ${evidence.verdict}`,
    `source:      ${describeReport(evidence.source)}`,
    `destination: ${describeReport(evidence.destination)}`,
    `${noun}: ${counts.source} in the source, ${counts.destination} in the destination; ` +
      `${counts.missing} missing, ${counts.mismatched} mismatched, ${counts.extra} extra`,
    `comparison:  ${describeComparison(result)}`,
    ...listing('missing', counts.missing, evidence.missing),
    ...listing('mismatched', counts.mismatched, evidence.mismatched.map(describeMismatch)),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderResult(result: VerifyResult, format: VerifyFormat): string {
  return format === 'json' ? renderEvidence(result.evidence) : renderText(result);
}
