export * from './log-shipping';
export * from './enclave-trail';
export * from './data-access-anomaly';
export * from './log-sources';
