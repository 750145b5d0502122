export * from './clover-stack';
