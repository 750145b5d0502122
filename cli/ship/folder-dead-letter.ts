import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';
import {
  eventsMessage,
  payloadMessages,
  type DeadLetterSink,
  type RawPayload,
} from '../../lambda/log-shipper/deadletter';

/**
 * The dead-letter queue as a local folder: one JSON file per dead-lettered
 * batch (or undecodable payload), in the same message format as the SQS queue
 * but never split. Name: `<UTC time>-<kind>-<12 hex of SHA-256 of the file>.json`.
 */
export class FolderDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly directory: string,
    private readonly enclave: string,
  ) {}

  sendEvents(reason: string, lines: readonly string[]): Promise<void> {
    return this.write('events', eventsMessage(this.enclave, reason, lines));
  }

  sendPayload(reason: string, payload: RawPayload): Promise<void> {
    return this.write('payload', payloadMessages(this.enclave, reason, payload, Number.MAX_SAFE_INTEGER)[0]);
  }

  private async write(kind: string, content: string): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    const time = new Date().toISOString().replace(/[:.]/g, '-');
    const digest = createHash('sha256').update(content).digest('hex').slice(0, 12);
    try {
      await fs.writeFile(join(this.directory, `${time}-${kind}-${digest}.json`), `${content}\n`, {
        flag: 'wx',
      });
    } catch (error) {
      // The same content in the same millisecond is the same dead letter.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
  }
}
