import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { endOfFields, hashString } from './lines';

/**
 * Hash partitioning on disk: records go to one of FANOUT files by a hash of
 * their identity, so a record and its counterpart in the other report land in
 * partitions of the same number, and each pair of partitions is compared on
 * its own with memory for one partition, whatever the reports' size.
 */

/** Partitions per level. */
export const FANOUT = 64;

/** Bytes buffered per partition before they are written out. */
const BUFFER_BYTES = 128 * 1024;

/**
 * Partition files are read in chunks this small, so the strings made from
 * them are ordinary young objects (V8 puts larger ones straight into the
 * old generation, which is collected far less often).
 */
const READ_CHUNK_BYTES = 64 * 1024;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A private temporary folder for the partition files (under TMPDIR), removed
 * by dispose(), and also when the process is interrupted by a signal.
 */
export class ScratchDirectory {
  public readonly path: string;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.dispose();
    // Die of the same signal, as if Clover had not handled it.
    process.kill(process.pid, signal);
  };

  constructor(parent: string = os.tmpdir()) {
    this.path = fs.mkdtempSync(path.join(parent, 'clover-migration-'));
    for (const signal of SIGNALS) process.once(signal, this.onSignal);
  }

  public file(name: string): string {
    return path.join(this.path, name);
  }

  public dispose(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.onSignal);
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}

/** No file yet: a partition's file is created when it first has something to hold. */
const NOT_OPEN = -1;

/**
 * Writes records to partition files, by a seeded hash of their identity. Each
 * partition has a buffer outside the JavaScript heap: a line is copied there at
 * once, so the strings of a record die young and the heap does not grow with
 * what waits to be written. A partition that receives nothing has no file
 * (creating files is the slow part of small runs).
 */
export class PartitionWriter {
  private readonly descriptors: number[];
  private readonly buffers: Buffer[];
  private readonly used: number[];

  constructor(
    public readonly files: readonly string[],
    private readonly seed: number,
  ) {
    this.buffers = files.map(() => Buffer.allocUnsafeSlow(BUFFER_BYTES));
    this.used = files.map(() => 0);
    this.descriptors = files.map(() => NOT_OPEN);
  }

  /** Adds one record: `identity` then `value`, tab-separated. */
  public add(identity: string, value: string): void {
    this.addLine(identity, `${identity}\t${value}\n`);
  }

  /** Adds one record line (with its line break) whose identity is `identity`. */
  public addLine(identity: string, line: string): void {
    const index = hashString(identity, this.seed) % this.files.length;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used[index] + line.length * 3 > BUFFER_BYTES) {
      this.flush(index);
      if (line.length * 3 > BUFFER_BYTES) {
        fs.writeSync(this.descriptor(index), line);
        return;
      }
    }
    this.used[index] += this.buffers[index].write(line, this.used[index], 'utf8');
  }

  /** Writes what is pending and closes every file. */
  public close(): void {
    try {
      for (let index = 0; index < this.files.length; index++) this.flush(index);
    } finally {
      this.abort();
    }
  }

  /** Closes every file without writing what is pending (on error; the scratch folder goes anyway). */
  public abort(): void {
    for (let index = 0; index < this.descriptors.length; index++) {
      if (this.descriptors[index] !== NOT_OPEN) fs.closeSync(this.descriptors[index]);
      this.descriptors[index] = NOT_OPEN;
    }
  }

  private descriptor(index: number): number {
    if (this.descriptors[index] === NOT_OPEN) this.descriptors[index] = fs.openSync(this.files[index], 'w');
    return this.descriptors[index];
  }

  private flush(index: number): void {
    if (this.used[index] === 0) return;
    fs.writeSync(this.descriptor(index), this.buffers[index], 0, this.used[index]);
    this.used[index] = 0;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Bytes in a partition file; 0 when the partition never had a file. */
export function partitionSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
}

/**
 * Calls `onLine` for every non-empty line of a partition file (none when the
 * partition has no file), reading it a chunk at a time.
 */
export function forEachPartitionLine(file: string, onLine: (line: string) => void): void {
  let descriptor: number;
  try {
    descriptor = fs.openSync(file, 'r');
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let carry = '';
    for (;;) {
      const read = fs.readSync(descriptor, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const lines = (carry + decoder.write(buffer.subarray(0, read))).split('\n');
      carry = lines.pop()!;
      for (const line of lines) if (line !== '') onLine(line);
    }
    carry += decoder.end();
    if (carry !== '') onLine(carry);
  } finally {
    fs.closeSync(descriptor);
  }
}

/** Splits a partition file into `outputs` with the next level's seed, and deletes it. */
export function splitPartition(
  file: string,
  identityFields: number,
  outputs: readonly string[],
  seed: number,
): void {
  const writer = new PartitionWriter(outputs, seed);
  try {
    forEachPartitionLine(file, (line) => {
      writer.addLine(line.slice(0, endOfFields(line, identityFields)), `${line}\n`);
    });
    writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  fs.rmSync(file, { force: true });
}
