export * from './enclave-stage';
export * from './monitoring-stage';
export * from './guardrails-stage';
