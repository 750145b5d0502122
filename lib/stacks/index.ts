export * from './clover-stack';
export * from './network-stack';
export * from './data-stack';
export * from './access-stack';
export * from './logging-stack';
export * from './monitoring-stack';
