import { ConfigError, validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';

const TODAY = '2026-11-23';

interface Editable {
  enclaves: Array<Record<string, unknown>>;
  monitoring: Record<string, unknown>;
  [key: string]: unknown;
}

/** The default config with an interim enclave in us-east-1 whose `interim` section is `interim`. */
function withInterim(interim: Record<string, unknown>, edit: (c: Editable) => void = () => {}): unknown {
  const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Editable;
  copy.enclaves.push({
    name: 'interim-us',
    account: '555555555555',
    region: 'us-east-1',
    cidr: '10.40.0.0/16',
    interim: { sunset: '2030-12-31', migrateTo: 'dublin-1', ...interim },
  });
  edit(copy);
  return copy;
}

function problemsOf(input: unknown): string {
  try {
    validateConfig(input, { today: TODAY, source: 'test' });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const interimOf = (input: unknown) =>
  validateConfig(input, { today: TODAY, source: 'test' }).enclaves.find((e) => e.name === 'interim-us')!
    .interim!;

describe('interim lifecycle config', () => {
  test('defaults to phase hosting with no history', () => {
    expect(interimOf(withInterim({}))).toEqual({
      sunset: '2030-12-31',
      migrateTo: 'dublin-1',
      phase: 'hosting',
      history: [],
    });
  });

  test('accepts a phase with the phases already passed, in order', () => {
    const interim = interimOf(
      withInterim({
        phase: 'cutover',
        history: [
          { phase: 'hosting', date: '2026-01-15' },
          { phase: 'replicating', date: '2026-11-01' },
        ],
      }),
    );
    expect(interim.phase).toBe('cutover');
    expect(interim.history.map((entry) => entry.phase)).toEqual(['hosting', 'replicating']);
  });

  test('rejects an unknown phase, listing the phases in order', () => {
    expect(problemsOf(withInterim({ phase: 'migrating' }))).toMatch(
      /enclaves\[3\]\.interim\.phase "migrating": is not an interim phase; fix: use one of, in lifecycle order: hosting, replicating, cutover, decommissioned/,
    );
  });

  test('rejects a history entry for the current or a later phase', () => {
    const message = problemsOf(
      withInterim({ phase: 'replicating', history: [{ phase: 'cutover', date: '2026-01-01' }] }),
    );
    expect(message).toMatch(
      /enclaves\[3\]\.interim\.history\[0\]\.phase "cutover": is not a phase before the current phase "replicating"/,
    );
  });

  test('rejects a history out of lifecycle order or dated backwards', () => {
    const message = problemsOf(
      withInterim({
        phase: 'decommissioned',
        history: [
          { phase: 'replicating', date: '2026-05-01' },
          { phase: 'hosting', date: '2026-06-01' },
          { phase: 'cutover', date: '2026-04-01' },
        ],
      }),
    );
    expect(message).toMatch(/history\[1\]\.phase "hosting": comes after "replicating" in the history/);
    expect(message).toMatch(
      /history\[2\]\.date "2026-04-01": is before the date of the phase passed earlier/,
    );
  });

  test('rejects a history date that is not a date or lies in the future', () => {
    const message = problemsOf(
      withInterim({
        phase: 'cutover',
        history: [
          { phase: 'hosting', date: '2026-02-30' },
          { phase: 'replicating', date: '2026-11-24' },
        ],
      }),
    );
    expect(message).toMatch(/history\[0\]\.date "2026-02-30": is not a date/);
    expect(message).toMatch(/history\[1\]\.date "2026-11-24": is in the future \(today is 2026-11-23\)/);
  });

  test('rejects a target that holds no bucket for a data class of the interim enclave', () => {
    const message = problemsOf(withInterim({}, (c) => (c.enclaves[0].dataClasses = ['personal'])));
    expect(message).toMatch(
      /enclaves\[3\]\.interim\.migrateTo "dublin-1": holds no bucket for data class telemetry of interim enclave "interim-us"; .*fix: add telemetry to enclaves\[0\]\.dataClasses/,
    );
  });

  test('rejects an interim enclave sharing an account with a European enclave, the monitoring plane or the provider', () => {
    const shared = problemsOf(
      withInterim({}, (c) => {
        c.enclaves[3].account = '222222222222';
        c.monitoring.providerAccounts = ['444444444444', '222222222222'];
      }),
    );
    expect(shared).toMatch(
      /enclaves\[3\]\.account "222222222222": is also the account of enclave "dublin-2" \(enclaves\[1\]\)/,
    );
    expect(shared).toMatch(
      /monitoring\.providerAccounts \["444444444444","222222222222"\]: includes 222222222222, the account of interim enclave "interim-us"/,
    );
    expect(problemsOf(withInterim({}, (c) => (c.enclaves[3].account = '444444444444')))).toMatch(
      /enclaves\[3\]\.account "444444444444": is also monitoring\.account/,
    );
  });

  test('rejects an unknown key in the interim section', () => {
    expect(problemsOf(withInterim({ phases: 'cutover' }))).toMatch(
      /enclaves\[3\]\.interim\.phases "cutover": is not a Clover config key/,
    );
  });
});
