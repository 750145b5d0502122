// Pure and read by config validation too, so it lives in lib/config.
export * from '../../config/log-sources';
