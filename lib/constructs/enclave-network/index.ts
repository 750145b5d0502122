export * from './enclave-network';
export * from './flow-log-format';
export * from './keys';
export * from './props-problems';
export * from './subnet-plan';
export * from './vpc-parts';
