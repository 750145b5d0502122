import type { RetryNotice } from '../../lambda/log-shipper/deliver';

/** At most one progress line per this many milliseconds; retries in between are counted in the next line. */
export const PROGRESS_INTERVAL_MS = 1000;

const seconds = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

/**
 * Reports retries on stderr while delivery goes on, so a run against a
 * struggling monitor is never silent until its deadline: one line per retry,
 * at most one per {@link PROGRESS_INTERVAL_MS}, naming why, what waits and how
 * long until the next attempt and the deadline.
 */
export function retryReporter(
  prefix: string,
  write: (text: string) => void = (text) => void process.stderr.write(text),
  now: () => number = Date.now,
): (notice: RetryNotice) => void {
  let lastLine = Number.NEGATIVE_INFINITY;
  let unreported = 0;
  return (notice) => {
    const at = now();
    if (at - lastLine < PROGRESS_INTERVAL_MS) {
      unreported++;
      return;
    }
    const since =
      unreported > 0 ? `; ${unreported} other retr${unreported === 1 ? 'y' : 'ies'} since the last line` : '';
    lastLine = at;
    unreported = 0;
    write(
      `${prefix}: ${notice.reason} (attempt ${notice.attempt}, ${notice.events} event(s)); retrying in ${seconds(notice.delayMs)}, deadline in ${seconds(notice.deadline - at)}${since}\n`,
    );
  };
}
