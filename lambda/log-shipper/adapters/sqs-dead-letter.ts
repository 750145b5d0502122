import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  eventsMessages,
  payloadMessages,
  type DeadLetterSink,
  type RawPayload,
} from '../deadletter';

/** The event-level dead-letter queue (KMS-encrypted SQS in the enclave account). */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly enclave: string,
    private readonly maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
  ) {}

  sendEvents(reason: string, lines: readonly string[]): Promise<void> {
    return this.sendAll(eventsMessages(this.enclave, reason, lines, this.maxMessageBytes), 'events');
  }

  sendPayload(reason: string, payload: RawPayload): Promise<void> {
    return this.sendAll(payloadMessages(this.enclave, reason, payload, this.maxMessageBytes), 'payload');
  }

  private async sendAll(bodies: readonly string[], kind: string): Promise<void> {
    for (const body of bodies) {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: body,
          MessageAttributes: { kind: { DataType: 'String', StringValue: kind } },
        }),
      );
    }
  }
}
