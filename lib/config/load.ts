import * as fs from 'fs';
import * as path from 'path';
import { isCalendarDate, todayUtc } from './dates';
import { ConfigError } from './errors';
import { DEFAULT_CONFIG } from './defaults';
import type { CloverConfig } from './types';
import { validateConfig } from './validate';

export interface LoadConfigOptions {
  /** Path of a JSON config file; the embedded default when absent. */
  readonly configPath?: string;
  /** Date for every date check (`YYYY-MM-DD`); today (UTC) when absent. */
  readonly today?: string;
}

export interface LoadedConfig {
  readonly config: CloverConfig;
  readonly today: string;
  /** `embedded default` or the file path. */
  readonly source: string;
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

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const today = resolveToday(options.today);
  if (options.configPath === undefined) {
    const source = 'embedded default';
    return { config: validateConfig(DEFAULT_CONFIG, { today, source }), today, source };
  }
  const source = options.configPath;
  const input = readJson(source);
  return { config: validateConfig(input, { today, source }), today, source };
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
    if (code === 'ENOENT')
      fail('names a file that does not exist', `check the path (relative to ${process.cwd()})`);
    if (code === 'EISDIR') fail('is a directory', 'give the path of a JSON file');
    fail(`cannot be read (${code ?? String(error)})`, 'check the file permissions');
  }
  if (text.trim() === '') fail('is empty', 'write a JSON config (see examples/ and docs/config.md)');
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(
      `is not valid JSON (${(error as Error).message})`,
      'fix the JSON syntax at the position named',
    );
  }
}
