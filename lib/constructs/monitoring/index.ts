export * from './alarms';
export * from './evidence-archive';
export * from './evidence-bucket';
export * from './identifiers';
export * from './security-event-bus';
export * from './security-event-forwarding';
export * from './security-events';
export * from './service-key';
