import * as fs from 'fs';
import * as path from 'path';
import { isCalendarDate, todayUtc } from './dates';
import { ConfigError } from './errors';
import { DEFAULT_CONFIG } from './defaults';
import { EvidenceRecord, gateMigrationEvidence, readMigrationEvidence } from './migration';
import type { CloverConfig } from './types';
import { validateConfig } from './validate';
import { jsonSyntaxFix } from './json-syntax';

export interface LoadConfigOptions {
  /** Path of a JSON config file; the embedded default when absent. */
  readonly configPath?: string;
  /** Date for every date check (`YYYY-MM-DD`); today (UTC) when absent. */
  readonly today?: string;
  /** `-c migrationEvidence`: a file or directory of `clover migration verify` evidence. */
  readonly migrationEvidence?: string;
}

export interface LoadedConfig {
  readonly config: CloverConfig;
  readonly today: string;
  /** `embedded default` or the file path. */
  readonly source: string;
  /** Migration evidence of each interim enclave (by name) that the cut-over gate matched to its stores. */
  readonly migrationEvidence: ReadonlyMap<string, readonly EvidenceRecord[]>;
}

/**
 * Resolves the date for date checks: an explicit value, else `SOURCE_DATE_EPOCH`, else the clock.
 * Throws a ConfigError naming the bad value.
 */
export function resolveToday(
  explicit: unknown,
  env: NodeJS.ProcessEnv = process.env,
  what = '-c today',
): string {
  if (explicit !== undefined) {
    if (!isCalendarDate(explicit)) {
      throw new ConfigError(
        [
          {
            path: what,
            value: explicit,
            problem: 'is not a date',
            fix: 'write it as YYYY-MM-DD, e.g. -c today=2026-11-23',
          },
        ],
        what,
      );
    }
    return explicit;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    const seconds = Number(epoch);
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new ConfigError(
        [
          {
            path: 'SOURCE_DATE_EPOCH',
            value: epoch,
            problem: 'is not a whole number of seconds',
            fix: 'unset it or give Unix seconds',
          },
        ],
        'environment',
      );
    }
    return todayUtc(new Date(seconds * 1000));
  }
  return todayUtc();
}

/** `LoadedConfig.source` of the embedded default config. */
export const EMBEDDED_DEFAULT_SOURCE = 'embedded default';

/**
 * Loads and validates the config, then closes the cut-over gate: an interim enclave in `cutover`
 * needs complete migration evidence for every store (`options.migrationEvidence`).
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const today = resolveToday(options.today);
  const source = options.configPath ?? EMBEDDED_DEFAULT_SOURCE;
  const input = options.configPath === undefined ? DEFAULT_CONFIG : readJson(options.configPath);
  const config = validateConfig(input, { today, source });
  if (options.migrationEvidence !== undefined && typeof options.migrationEvidence !== 'string') {
    throw new ConfigError(
      [
        {
          path: '-c migrationEvidence',
          value: options.migrationEvidence,
          problem: 'is not a path',
          fix: 'give the evidence file or directory, e.g. -c migrationEvidence=evidence/',
        },
      ],
      source,
    );
  }
  const files =
    options.migrationEvidence === undefined ? [] : readMigrationEvidence(options.migrationEvidence);
  return { config, today, source, migrationEvidence: gateMigrationEvidence(config, files, source) };
}

function readJson(file: string): unknown {
  const fail = (problem: string, fix: string): never => {
    throw new ConfigError([{ path: '-c config', value: file, problem, fix }], file);
  };
  let text = '';
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (file.trimStart().startsWith('{'))
      fail('is JSON, not the path of a file', 'save the config in a file and pass -c config=<that file>');
    if (code === 'ENOENT')
      fail('names a file that does not exist', `check the path (relative to ${process.cwd()})`);
    if (code === 'EISDIR') fail('is a directory', 'give the path of a JSON file');
    fail(`cannot be read (${code ?? String(error)})`, 'check the file permissions');
  }
  if (text.trim() === '') fail('is empty', 'write a JSON config (see examples/ and docs/config.md)');
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`is not valid JSON (${(error as Error).message})`, jsonSyntaxFix(text));
  }
}
