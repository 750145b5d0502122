/**
 * The evidence contract lives with the config, where the cut-over gate reads it
 * (lib/config/migration-evidence.ts); the verifier writes exactly that shape.
 */
export * from '../../../lib/config/migration-evidence';
