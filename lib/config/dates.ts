/** Calendar dates as `YYYY-MM-DD` strings; a date is valid through its whole day (UTC). */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Today's date in UTC, or the date given by `SOURCE_DATE_EPOCH` (seconds) when set. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** True once `today` is after the last valid day `lastDay`. Both are `YYYY-MM-DD`, so text order is date order. */
export function isPast(lastDay: string, today: string): boolean {
  return today > lastDay;
}
