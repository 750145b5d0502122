import * as fs from 'fs';
import { LISTED_LIMIT, type Mismatch } from './evidence';
import { compareCodePoints, endOfFields } from './lines';
import {
  FANOUT,
  forEachPartitionLine,
  partitionSize,
  splitPartition,
  type ScratchDirectory,
} from './partitions';
import type { RecordFormat } from './records';

/** The first `limit` items in order, of any number added; memory stays at `limit` items. */
export class FirstInOrder<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly limit: number,
    private readonly order: (a: T, b: T) => number,
  ) {}

  public add(item: T): void {
    const items = this.items;
    if (items.length === this.limit && this.order(item, items[items.length - 1]) >= 0) return;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.order(items[middle], item) <= 0) low = middle + 1;
      else high = middle;
    }
    items.splice(low, 0, item);
    if (items.length > this.limit) items.pop();
  }

  public get list(): readonly T[] {
    return this.items;
  }
}

/** What the comparison found, over all partitions. */
export class Differences {
  public missing = 0;
  public mismatched = 0;
  public extra = 0;
  public matched = 0;
  public readonly firstMissing = new FirstInOrder<string>(LISTED_LIMIT, compareCodePoints);
  public readonly firstMismatched = new FirstInOrder<Mismatch>(LISTED_LIMIT, (a, b) =>
    compareCodePoints(a.key, b.key),
  );
}

/** A report listed one record twice: bad input, reported with the report's path by the caller. */
export class DuplicateRecordError extends Error {
  constructor(
    public readonly side: 'source' | 'destination',
    public readonly display: string,
  ) {
    super(`${side} lists ${display} twice`);
    this.name = 'DuplicateRecordError';
  }
}

/** Stands in a map for a source record already matched; no record value holds a line break. */
const MATCHED = '\n';

/**
 * Compares one pair of partition files: the source's records are held in a
 * map, the destination's streamed past it. Adds what it finds to `differences`.
 */
export function comparePartition(
  sourceFile: string,
  destinationFile: string,
  format: RecordFormat,
  differences: Differences,
): void {
  const expected = new Map<string, string>();
  forEachPartitionLine(sourceFile, (line) => {
    const end = endOfFields(line, format.identityFields);
    const identity = line.slice(0, end);
    if (expected.has(identity)) throw new DuplicateRecordError('source', format.displayKey(identity));
    expected.set(identity, line.slice(end + 1));
  });
  const extra = new Set<string>();
  forEachPartitionLine(destinationFile, (line) => {
    const end = endOfFields(line, format.identityFields);
    const identity = line.slice(0, end);
    const value = expected.get(identity);
    if (value === undefined) {
      if (extra.has(identity)) throw new DuplicateRecordError('destination', format.displayKey(identity));
      extra.add(identity);
      differences.extra++;
      return;
    }
    if (value === MATCHED) throw new DuplicateRecordError('destination', format.displayKey(identity));
    expected.set(identity, MATCHED);
    differences.matched++;
    const mismatch = format.compare(identity, value, line.slice(end + 1));
    if (mismatch) {
      differences.mismatched++;
      differences.firstMismatched.add(mismatch);
    }
  });
  for (const [identity, value] of expected) {
    if (value === MATCHED) continue;
    differences.missing++;
    differences.firstMissing.add(format.displayKey(identity));
  }
}

/** Partitions deeper than this are compared as they are (only duplicates keep a partition from shrinking). */
const MAX_LEVEL = 3;

/** One partition of each report, with the same number. */
export interface PartitionPair {
  readonly source: string;
  readonly destination: string;
  /** 0 for the first partitioning; each split adds one. */
  readonly level: number;
  readonly name: string;
}

/**
 * Compares every pair, splitting a pair again (next level's hash) while either
 * file is larger than `limitBytes`, so memory stays bounded whatever the skew.
 * Each file is deleted once compared. Returns how many pairs were compared.
 */
export function comparePartitions(
  pairs: readonly PartitionPair[],
  format: RecordFormat,
  differences: Differences,
  scratch: ScratchDirectory,
  limitBytes: number,
  fanout: number = FANOUT,
): number {
  const pending = [...pairs];
  let compared = 0;
  for (let pair = pending.pop(); pair; pair = pending.pop()) {
    const large = partitionSize(pair.source) > limitBytes || partitionSize(pair.destination) > limitBytes;
    if (large && pair.level < MAX_LEVEL) {
      const children = Array.from({ length: fanout }, (_, index): PartitionPair => {
        const name = `${pair!.name}.${index}`;
        return {
          source: scratch.file(`source-${name}`),
          destination: scratch.file(`destination-${name}`),
          level: pair!.level + 1,
          name,
        };
      });
      splitPartition(
        pair.source,
        format.identityFields,
        children.map((child) => child.source),
        pair.level + 1,
      );
      splitPartition(
        pair.destination,
        format.identityFields,
        children.map((child) => child.destination),
        pair.level + 1,
      );
      pending.push(...children);
      continue;
    }
    comparePartition(pair.source, pair.destination, format, differences);
    fs.rmSync(pair.source, { force: true });
    fs.rmSync(pair.destination, { force: true });
    compared++;
  }
  return compared;
}
