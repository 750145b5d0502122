export * from './types';
export * from './regions';
export * from './errors';
export * from './dates';
export * from './cidr';
export { loadConfig, resolveToday } from './load';
export type { LoadConfigOptions, LoadedConfig } from './load';
export { validateConfig, instanceArchitecture } from './validate';
export { DEFAULT_CONFIG } from './defaults';
