import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ArchiveStore } from '../archive';
import { archivePutObjectInput, type ArchiveTarget } from '../requests';

/**
 * The archive bucket in the monitoring account (Object Lock: versions can be
 * neither overwritten nor removed). `If-None-Match: *` makes S3 refuse a key
 * that exists with 412, which means "already archived".
 */
export class S3ArchiveStore implements ArchiveStore {
  constructor(
    private readonly client: S3Client,
    private readonly target: ArchiveTarget,
  ) {}

  async putIfAbsent(key: string, body: Buffer, eventCount: number): Promise<'created' | 'exists'> {
    // One definition of the request (../requests.ts): the construct declares the same one for the runtime proof.
    const command = new PutObjectCommand(archivePutObjectInput(this.target, key, body, eventCount));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(command);
        return 'created';
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const name = (error as Error).name;
        if (status === 412 || name === 'PreconditionFailed') {
          return 'exists';
        }
        // 409: a concurrent conditional write of the same key is in progress; ask again once.
        if ((status === 409 || name === 'ConditionalRequestConflict') && attempt === 0) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        throw error;
      }
    }
  }
}
