import { createHash } from 'crypto';
import * as fs from 'fs';
import { pipeline } from 'stream';
import { StringDecoder } from 'string_decoder';
import * as zlib from 'zlib';
import { MigrationInputError } from './errors';

/** What was read from a data file: its bytes on disk and their MD5. */
export interface FileDigest {
  readonly bytes: number;
  readonly md5Hex: string;
}

/**
 * Streams the lines of a gzipped file to `onLines`, a batch at a time (one
 * batch per decompressed chunk), with the 1-based number of the batch's first
 * line. Memory stays at a chunk whatever the file's size. A truncated or
 * corrupt file is a MigrationInputError naming `where`. An empty file (0 bytes)
 * has no lines: DynamoDB writes one for an empty partition.
 */
export async function readGzipLines(
  file: string,
  where: string,
  onLines: (lines: readonly string[], firstLine: number) => void,
): Promise<FileDigest> {
  const md5 = createHash('md5');
  let bytes = 0;
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new MigrationInputError(describeReadError(error as NodeJS.ErrnoException, where));
  }
  if (size === 0) return { bytes, md5Hex: md5.digest('hex') };
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 16 });
  input.on('data', (chunk) => {
    md5.update(chunk as Buffer);
    bytes += chunk.length;
  });
  pipeline(input, gunzip, () => {
    // Errors surface through the iteration below.
  });
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNumber = 1;
  try {
    for await (const chunk of gunzip) {
      const lines = (carry + decoder.write(chunk as Buffer)).split('\n');
      carry = lines.pop()!;
      if (lines.length > 0) onLines(lines, lineNumber);
      lineNumber += lines.length;
    }
  } catch (error) {
    if (error instanceof MigrationInputError) throw error;
    throw new MigrationInputError(describeReadError(error as NodeJS.ErrnoException, where));
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  carry += decoder.end();
  if (carry !== '') onLines([carry], lineNumber);
  return { bytes, md5Hex: md5.digest('hex') };
}

function describeReadError(error: NodeJS.ErrnoException, where: string): string {
  if (error.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(error.message)) {
    return `${where} is truncated: its gzip stream ends early; copy it again (aws s3 sync)`;
  }
  if (error.code?.startsWith('Z_')) {
    return `${where} is not valid gzip (${error.message}); copy it again (aws s3 sync)`;
  }
  return `${where} cannot be read (${error.code ?? error.message})`;
}
