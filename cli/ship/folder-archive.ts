import { promises as fs } from 'fs';
import { dirname, join } from 'path';
import type { ArchiveStore } from '../../lambda/log-shipper/archive';

/**
 * The archive as a local folder: `<dir>/<archive key>`, the same key as in S3.
 * The file is written under a temporary name and then hard-linked into place,
 * which fails atomically when the key exists: the folder equivalent of S3's
 * `If-None-Match: *` (a replay adds nothing, a crash leaves no half file).
 */
export class FolderArchiveStore implements ArchiveStore {
  constructor(private readonly directory: string) {}

  async putIfAbsent(key: string, body: Buffer): Promise<'created' | 'exists'> {
    const target = join(this.directory, ...key.split('/'));
    await fs.mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(temporary, body, { flag: 'wx' });
    try {
      await fs.link(temporary, target);
      return 'created';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        return 'exists';
      }
      throw error;
    } finally {
      await fs.unlink(temporary).catch(() => undefined);
    }
  }
}
