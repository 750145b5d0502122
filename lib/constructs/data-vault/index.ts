export * from './naming';
export * from './enclave-key';
export * from './replication';
export * from './data-vault';
