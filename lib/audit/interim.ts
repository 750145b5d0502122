import { isPast } from '../config/dates';
import type { TemplateIndex } from './template';

/** An interim enclave of the audited set, from its templates' `Clover::Enclave` metadata. */
export interface InterimEnclave {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly migrateTo: string;
  readonly sunset: string;
  readonly phase: string;
}

const CACHE = new WeakMap<object, InterimEnclave[]>();

/**
 * The interim enclaves among the stacks audited with `index` (itself included): each once, with the
 * account and region its stacks deploy to.
 */
export function interimEnclavesOf(index: TemplateIndex): InterimEnclave[] {
  const peers = index.peers;
  const key: object = peers ?? index;
  const cached = CACHE.get(key);
  if (cached) return cached;
  const found = new Map<string, InterimEnclave>();
  for (const candidate of peers?.indexes ?? [index]) {
    const { enclave, context } = candidate;
    if (!enclave?.interim || !context.account || !context.region || found.has(enclave.name)) continue;
    found.set(enclave.name, {
      name: enclave.name,
      account: context.account,
      region: context.region,
      migrateTo: enclave.interim.migrateTo,
      sunset: enclave.interim.sunset,
      phase: enclave.interim.phase ?? 'hosting',
    });
  }
  const list = [...found.values()];
  CACHE.set(key, list);
  return list;
}

/** Whole days from `today` to the last day `sunset` (0 on the sunset day, negative after it). */
export function daysToSunset(sunset: string, today: string): number {
  return Math.round((Date.parse(`${sunset}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** True when `today` is on or before the sunset and at most `days` before it. */
export function sunsetWithin(sunset: string, today: string, days: number): boolean {
  return !isPast(sunset, today) && daysToSunset(sunset, today) <= days;
}
