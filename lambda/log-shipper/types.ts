/** One log event of a CloudWatch Logs subscription payload. */
export interface LogEvent {
  /** CloudWatch's own event id (a decimal string, unique within the log stream). */
  readonly id: string;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly message: string;
}

/** The decoded body of a CloudWatch Logs subscription delivery. */
export interface SubscriptionPayload {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly LogEvent[];
}

/** What one run of the pipeline did; `eventsIn === delivered + deadLettered` when it succeeded. */
export interface Counters {
  eventsIn: number;
  delivered: number;
  archived: number;
  deadLettered: number;
  requests: number;
  retries: number;
}

export function zeroCounters(): Counters {
  return { eventsIn: 0, delivered: 0, archived: 0, deadLettered: 0, requests: 0, retries: 0 };
}

/** Time, injectable so retry and deadline logic can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
