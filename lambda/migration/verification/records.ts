import type { Comparison, Mismatch } from './evidence';

/**
 * How one kind of report's records are compared. A record is one line of a
 * partition file: its first `identityFields` tab-separated fields identify it
 * (unique within a report), the rest is the value compared.
 */
export interface RecordFormat {
  readonly identityFields: number;
  /** The key shown in the evidence for an identity. */
  displayKey(identity: string): string;
  /** Undefined when the source and destination values agree. */
  compare(identity: string, source: string, destination: string): Mismatch | undefined;
  /** What the comparisons made so far compared. */
  comparison(): Comparison;
  /** Why a report listing one identity twice is bad input (follows the report's path). */
  duplicate(display: string): string;
}
