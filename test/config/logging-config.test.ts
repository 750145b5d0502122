import { validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';

interface Editable {
  enclaves: Array<Record<string, unknown>>;
  monitoring: Record<string, unknown>;
  [key: string]: unknown;
}

/** The default config, deep-copied and changed by `edit`. */
function configWith(edit: (config: Editable) => void): unknown {
  const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Editable;
  edit(copy);
  return copy;
}

const validate = (input: unknown) => validateConfig(input, { today: '2026-11-23', source: 'test' });
const appLogs = (...names: string[]) => configWith((c) => (c.enclaves[0].applicationLogGroups = names));
const orgTrail = (value: string) => configWith((c) => (c.monitoring.organizationTrailLogGroup = value));

describe('logging config: defaults', () => {
  test('no application log groups, no organisation trail, 365-day archive, shipper sized 1024 MB / 120 s with no reserved concurrency', () => {
    const config = validate(DEFAULT_CONFIG);
    expect(config.enclaves.map((e) => e.applicationLogGroups)).toEqual([[], [], []]);
    expect(config.monitoring.organizationTrailLogGroup).toBeUndefined();
    expect(config.monitoring.archiveRetentionDays).toBe(365);
    expect(config.shipper).toMatchObject({ memoryMb: 1024, timeoutSeconds: 120 });
    // A reservation fails to deploy in a new account (its quota leaves nothing to reserve): none by default.
    expect(config.shipper.reservedConcurrency).toBeUndefined();
  });
});

describe('logging config: application log groups', () => {
  test('accepts valid, distinct names', () => {
    expect(
      validate(appLogs('/app/orders/access', 'payments-access')).enclaves[0].applicationLogGroups,
    ).toHaveLength(2);
  });

  test('rejects a name CloudWatch Logs would refuse', () => {
    expect(() => validate(appLogs('/app/orders access'))).toThrow(
      /enclaves\[0\]\.applicationLogGroups\[0\] "\/app\/orders access": is not a CloudWatch Logs log group name/,
    );
  });

  test('rejects one of the log groups Clover already ships', () => {
    expect(() => validate(appLogs('/clover/dublin-1/vpc-flow-logs'))).toThrow(
      /applicationLogGroups\[0\] "\/clover\/dublin-1\/vpc-flow-logs": is one of the log groups Clover already ships for this enclave/,
    );
  });

  test('rejects a name listed twice, and two names that give one subscription ID', () => {
    expect(() => validate(appLogs('/app/a', '/app/a'))).toThrow(
      /applicationLogGroups\[1\] "\/app\/a": is listed twice/,
    );
    expect(() => validate(appLogs('/app/a', '/app-a'))).toThrow(
      /applicationLogGroups\[1\] "\/app-a": gives the same subscription ID \(ApplicationLogsAppA\) as "\/app\/a"/,
    );
  });
});

describe('logging config: organisation trail log group', () => {
  test('accepts the ARN of a log group in an enclave’s account and European region, and a bare name', () => {
    expect(() =>
      validate(orgTrail('arn:aws:logs:eu-north-1:333333333333:log-group:org-trail')),
    ).not.toThrow();
    expect(() => validate(orgTrail('aws-controltower/CloudTrailLogs'))).not.toThrow();
  });

  test('rejects a log group in us-east-1: global events are never read through a non-European region', () => {
    expect(() => validate(orgTrail('arn:aws:logs:us-east-1:111111111111:log-group:org-trail'))).toThrow(
      /monitoring\.organizationTrailLogGroup .*is in us-east-1, outside the allowed jurisdictions; organisation-wide IAM and Organizations events arrive in us-east-1 only/,
    );
  });

  test('rejects a log group in an account and region where no enclave shipper can subscribe', () => {
    expect(() => validate(orgTrail('arn:aws:logs:eu-west-1:999999999999:log-group:org-trail'))).toThrow(
      /is in account 999999999999 and region eu-west-1, where no enclave lives/,
    );
  });

  test('rejects a value that is neither a name nor an ARN', () => {
    expect(() => validate(orgTrail('org trail!'))).toThrow(/is neither a log group name nor a log group ARN/);
  });
});
