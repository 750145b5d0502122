import { PROGRESS_INTERVAL_MS, retryReporter } from '../../cli/ship/progress';

describe('retryReporter', () => {
  const notice = (attempt: number) => ({
    reason: 'HTTP 503',
    attempt,
    delayMs: 250,
    events: 4,
    deadline: 60_000,
  });

  test('writes one line per retry, at most one per interval, counting the retries in between', () => {
    const lines: string[] = [];
    let time = 0;
    const report = retryReporter(
      'clover ship',
      (text) => void lines.push(text),
      () => time,
    );
    report(notice(1));
    time = PROGRESS_INTERVAL_MS - 1;
    report(notice(2));
    report(notice(3));
    time = 2 * PROGRESS_INTERVAL_MS;
    report(notice(4));
    expect(lines).toEqual([
      'clover ship: HTTP 503 (attempt 1, 4 event(s)); retrying in 0.3 s, deadline in 60.0 s\n',
      'clover ship: HTTP 503 (attempt 4, 4 event(s)); retrying in 0.3 s, deadline in 58.0 s; 2 other retries since the last line\n',
    ]);
  });
});
