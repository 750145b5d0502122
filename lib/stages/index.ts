export * from './enclave-stage';
export * from './monitoring-stage';
