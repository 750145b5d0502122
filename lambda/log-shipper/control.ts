import type { LogEvent, SubscriptionPayload } from './types';

/** CloudWatch sends a CONTROL_MESSAGE to check that the destination is reachable; it carries no log data. */
export function isControlMessage(payload: SubscriptionPayload): boolean {
  return payload.messageType === 'CONTROL_MESSAGE';
}

/** The events to ship: none for a control message, all of them otherwise. */
export function dataEvents(payload: SubscriptionPayload): readonly LogEvent[] {
  return isControlMessage(payload) ? [] : payload.logEvents;
}
