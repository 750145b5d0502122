import { validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';

const TODAY = '2026-11-23';

interface Editable {
  enclaves: Array<Record<string, unknown>>;
  residency?: Record<string, unknown>;
  replication?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** The default config, deep-copied and changed by `edit`. */
function configWith(edit: (config: Editable) => void): unknown {
  const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Editable;
  edit(copy);
  return copy;
}

const validate = (input: unknown) => validateConfig(input, { today: TODAY, source: 'test' });

const withVirginia = (config: Editable) =>
  config.enclaves.push({
    name: 'virginia',
    account: '555555555555',
    region: 'us-east-1',
    cidr: '10.40.0.0/16',
    azs: ['us-east-1a', 'us-east-1b'],
    interim: { sunset: '2030-12-31', migrateTo: 'dublin-1' },
  });

describe('data and access config: defaults', () => {
  const config = validate(DEFAULT_CONFIG);

  test('knows the personal and telemetry data classes, and every enclave holds both', () => {
    expect(config.dataClasses).toEqual(['personal', 'telemetry']);
    for (const enclave of config.enclaves) expect(enclave.dataClasses).toEqual(['personal', 'telemetry']);
  });

  test('replicates personal data from dublin-1 to dublin-2', () => {
    expect(config.replication).toEqual([{ from: 'dublin-1', to: 'dublin-2', dataClass: 'personal' }]);
  });

  test('blocks CN, RU, KP and IR sessions', () => {
    expect(config.residency.blockedJurisdictions).toEqual(['CN', 'RU', 'KP', 'IR']);
  });

  test('keeps break-glass disabled and creates no guardrails', () => {
    expect(config.access.breakGlass).toBeUndefined();
    expect(config.guardrails).toBeUndefined();
  });

  test('signs employees in with IAM (MFA), keeps raw log events from the auditor, and trusts the provider’s named auditor role', () => {
    expect(config.access.identitySource).toBe('iam');
    expect(config.access.auditorRawLogs).toBe(false);
    expect(config.monitoring.auditorPrincipals).toEqual([
      'arn:aws:iam::444444444444:role/clover-independent-auditor',
    ]);
  });

  test('rejects an unknown identity source and an auditor principal outside the provider accounts', () => {
    expect(() =>
      validate(configWith((c) => (c.access = { identitySource: 'okta' } as unknown as typeof c.access))),
    ).toThrow(
      /access\.identitySource "okta": is not an identity source; fix: use one of: iam, identity-center/,
    );
    expect(() =>
      validate(
        configWith((c) => {
          (c.monitoring as Record<string, unknown>).auditorPrincipals = [
            'arn:aws:iam::999999999999:role/auditor',
            'auditor',
          ];
        }),
      ),
    ).toThrow(
      /monitoring\.auditorPrincipals\[0\] "arn:aws:iam::999999999999:role\/auditor": is not in a provider account \(444444444444\)[\s\S]*monitoring\.auditorPrincipals\[1\] "auditor": is not an IAM role or user ARN/,
    );
  });

  test('puts the guardrails stack in the monitoring region unless told otherwise', () => {
    const withGuardrails = validate(
      configWith((c) => (c.guardrails = { managementAccount: '999999999999' })),
    );
    expect(withGuardrails.guardrails).toEqual({
      managementAccount: '999999999999',
      region: 'eu-west-1',
      targetIds: [],
    });
  });

  test('accepts a break-glass expiry of today (the last day is inclusive)', () => {
    const config = validate(configWith((c) => (c.access = { breakGlass: { expires: TODAY } })));
    expect(config.access.breakGlass).toEqual({ expires: TODAY });
  });
});

describe('data and access config: bad input', () => {
  test('rejects an unknown data class in an enclave', () => {
    expect(() => validate(configWith((c) => (c.enclaves[0].dataClasses = ['secret'])))).toThrow(
      /enclaves\[0\]\.dataClasses\[0\] "secret": is not a known data class; fix: use one of: personal, telemetry, or add it to the top-level dataClasses/,
    );
  });

  test('rejects a replication pair of a data class the enclave does not hold', () => {
    expect(() =>
      validate(
        configWith((c) => (c.replication = [{ from: 'dublin-1', to: 'dublin-2', dataClass: 'health' }])),
      ),
    ).toThrow(/replication\[0\]\.dataClass "health": is not a data class of enclave "dublin-1"/);
  });

  test('rejects a replication pair from a European enclave into an interim one, naming both', () => {
    const input = configWith((c) => {
      withVirginia(c);
      c.replication = [{ from: 'dublin-1', to: 'virginia', dataClass: 'personal' }];
    });
    expect(() => validate(input)).toThrow(
      /replication\[0\]\.to "virginia": is interim enclave "virginia" in us-east-1; data never flows from a European enclave into an interim one; fix: remove replication\[0\]; replicate only between permanent enclaves in: eu-west-1/,
    );
  });

  test('rejects a replication pair out of an interim enclave: its one path is the migration into migrateTo', () => {
    const input = configWith((c) => {
      withVirginia(c);
      c.replication = [{ from: 'virginia', to: 'dublin-2', dataClass: 'personal' }];
    });
    expect(() => validate(input)).toThrow(
      /replication\[0\]\.from "virginia": is interim enclave "virginia", which sends data only into its migrateTo enclave "dublin-1".*fix: remove replication\[0\] and set enclaves\[3\]\.interim\.phase to "replicating"/,
    );
  });

  test('rejects a replication pair into an opt-in jurisdiction that is not allowed', () => {
    const input = configWith((c) => {
      c.enclaves.push({ name: 'london', account: '666666666666', region: 'eu-west-2', cidr: '10.50.0.0/16' });
      c.replication = [{ from: 'dublin-1', to: 'london', dataClass: 'personal' }];
    });
    // The enclave itself is already outside the allowed jurisdictions; the pair is reported too.
    expect(() => validate(input)).toThrow(
      /replication\[0\]\.to "london": is enclave "london" in eu-west-2, outside the allowed jurisdictions/,
    );
  });

  test('rejects a break-glass expiry in the past, by -c today', () => {
    expect(() => validate(configWith((c) => (c.access = { breakGlass: { expires: '2026-11-22' } })))).toThrow(
      /access\.breakGlass\.expires "2026-11-22": has passed \(today is 2026-11-23\); fix: remove access\.breakGlass to keep break-glass disabled, or set a new expiry date/,
    );
  });

  test('rejects a break-glass expiry that is not a date', () => {
    expect(() => validate(configWith((c) => (c.access = { breakGlass: { expires: '31/12/2026' } })))).toThrow(
      /access\.breakGlass\.expires "31\/12\/2026": is not a date; fix: write it as YYYY-MM-DD/,
    );
  });

  test('rejects a blocked jurisdiction that is also allowed', () => {
    expect(() =>
      validate(
        configWith(
          (c) => (c.residency = { allowJurisdictions: ['EU', 'EEA'], blockedJurisdictions: ['CN', 'EEA'] }),
        ),
      ),
    ).toThrow(
      /residency\.blockedJurisdictions\[1\] "EEA": is also in residency\.allowJurisdictions; a jurisdiction cannot be both allowed and blocked; fix: remove "EEA" from one of the two lists/,
    );
  });

  test('rejects a blocked jurisdiction that is not a code', () => {
    expect(() => validate(configWith((c) => (c.residency = { blockedJurisdictions: ['china'] })))).toThrow(
      /residency\.blockedJurisdictions\[0\] "china": is not a jurisdiction code.*fix: write an upper-case ISO 3166-1 alpha-2 code/,
    );
  });

  test('rejects a data class name that cannot be part of a bucket name', () => {
    expect(() => validate(configWith((c) => (c.dataClasses = ['personal', 'Health_Records'])))).toThrow(
      /dataClasses\[1\] "Health_Records": is not a valid data class name; it becomes part of bucket names and KMS aliases/,
    );
  });

  test('rejects a data class listed twice', () => {
    expect(() => validate(configWith((c) => (c.dataClasses = ['personal', 'personal'])))).toThrow(
      /dataClasses\[1\] "personal": is listed twice/,
    );
  });

  test('rejects an enclave and data class whose bucket name would exceed 63 characters', () => {
    const input = configWith((c) => {
      c.enclaves[2].name = 'hamar-renewable-energy-site';
      c.dataClasses = ['personal', 'telemetry'];
    });
    expect(() => validate(input)).toThrow(
      /enclaves\[2\]\.dataClasses\[0\] "personal": with enclave "hamar-renewable-energy-site" gives the bucket name "clover-hamar-renewable-energy-site-personal-333333333333-eu-north-1" of 67 characters; S3 allows at most 63; fix: shorten the enclave name or the data class name/,
    );
  });

  test('rejects a replication pair listed twice', () => {
    const pair = { from: 'dublin-1', to: 'dublin-2', dataClass: 'personal' };
    expect(() => validate(configWith((c) => (c.replication = [pair, { ...pair }])))).toThrow(
      /replication\[1\] .*: duplicates replication\[0\]; fix: list each replication pair once/,
    );
  });

  test('rejects a guardrails target that is not a root, OU or account', () => {
    const input = configWith(
      (c) => (c.guardrails = { managementAccount: '999999999999', targetIds: ['Security OU'] }),
    );
    expect(() => validate(input)).toThrow(
      /guardrails\.targetIds\[0\] "Security OU": is not an organisation root, OU or account ID/,
    );
  });

  test('rejects a management account that is not 12 digits', () => {
    expect(() => validate(configWith((c) => (c.guardrails = { managementAccount: '9999' })))).toThrow(
      /guardrails\.managementAccount "9999": is not a 12-digit AWS account ID/,
    );
  });

  test('reports every problem at once', () => {
    const input = configWith((c) => {
      c.enclaves[0].dataClasses = ['secret'];
      c.replication = [];
      c.access = { breakGlass: { expires: '2020-01-01' } };
      c.residency = { blockedJurisdictions: ['EU'] };
    });
    expect(() => validate(input)).toThrow(/3 problems/);
  });
});
