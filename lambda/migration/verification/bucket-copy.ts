import * as fs from 'fs';
import * as path from 'path';

/**
 * A report's files inside a local copy of the bucket it was delivered to, as
 * `aws s3 sync s3://bucket dir` writes it: the object with key `a/b/c.gz` is
 * the file `dir/a/b/c.gz`.
 */

/** A data file as a manifest names it. */
export interface DataFileEntry {
  /** The object key in the delivery bucket. */
  readonly key: string;
  /** Object size in bytes, when the manifest states it (S3 Inventory). */
  readonly size?: number;
  /** MD5 of the object, hex, when the manifest states it (S3 Inventory). */
  readonly md5Hex?: string;
  /** Records in the file, when the manifest states it (DynamoDB exports). */
  readonly itemCount?: number;
}

/** A data file with its place on disk. */
export interface DataFile extends DataFileEntry {
  readonly file: string;
}

/** Why a key cannot name a file inside the copy (an absolute path, `..`), or undefined. */
export function unsafeKey(key: string): string | undefined {
  if (key === '' || key.startsWith('/') || key.includes('\\') || key.includes('\0')) {
    return `key ${JSON.stringify(key)} cannot name a file inside the bucket copy`;
  }
  if (key.split('/').some((segment) => segment === '..' || segment === '.')) {
    return `key ${JSON.stringify(key)} has a "." or ".." segment and would leave the bucket copy`;
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The root of the bucket copy: the nearest folder, starting at the manifest's
 * own and walking up, under which `key` is a file. Manifests name data files
 * by their full key in the bucket, and the manifest itself sits somewhere
 * below the root (`<prefix>/<bucket>/<config>/<timestamp>/manifest.json`), so
 * the nearest such folder is the copy's root however deep the prefix is.
 */
export function findCopyRoot(manifestFile: string, key: string): string | undefined {
  let directory = path.dirname(path.resolve(manifestFile));
  for (;;) {
    if (isFile(path.join(directory, key))) return directory;
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/** Each entry's file under `root`, or the first missing one as a problem. */
export function resolveDataFiles(
  root: string,
  entries: readonly DataFileEntry[],
): { files: DataFile[] } | { missing: DataFileEntry; file: string } {
  const files: DataFile[] = [];
  for (const entry of entries) {
    const file = path.join(root, entry.key);
    if (!isFile(file)) return { missing: entry, file };
    files.push({ ...entry, file });
  }
  return { files };
}
