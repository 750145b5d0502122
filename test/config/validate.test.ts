import { ConfigError, validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';

const TODAY = '2026-11-23';

/** A deep copy of the default config, changed by `edit`. */
/** The default config as plain JSON that a test may change. */
interface EditableConfig {
  enclaves: Array<Record<string, unknown>>;
  monitoring?: Record<string, unknown>;
  residency?: Record<string, unknown>;
  [key: string]: unknown;
}

function configWith(edit: (config: EditableConfig) => void): unknown {
  const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG));
  edit(copy);
  return copy;
}

function validate(input: unknown, today = TODAY) {
  return validateConfig(input, { today, source: 'test' });
}

function problemsOf(input: unknown, today = TODAY): string {
  try {
    validate(input, today);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const interimUs =
  (sunset: string, migrateTo = 'dublin-1') =>
  (config: EditableConfig) =>
    config.enclaves.push({
      name: 'virginia',
      account: '555555555555',
      region: 'us-east-1',
      cidr: '10.40.0.0/16',
      interim: { sunset, migrateTo },
    });

describe('config validation', () => {
  test('accepts the embedded default and applies defaults', () => {
    const config = validate(DEFAULT_CONFIG);
    expect(config.enclaves.map((e) => e.name)).toEqual(['dublin-1', 'dublin-2', 'hamar']);
    expect(config.enclaves[0].azs).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(config.enclaves[2].azs).toEqual(['eu-north-1a', 'eu-north-1b', 'eu-north-1c']);
    expect(config.residency.allowJurisdictions).toEqual(['EU', 'EEA']);
    expect(config.residency.blockedJurisdictions).toContain('CN');
  });

  test('rejects an unknown region, naming the path and the allowed regions', () => {
    const message = problemsOf(configWith((c) => (c.enclaves[0].region = 'eu-mars-1')));
    expect(message).toMatch(/enclaves\[0\]\.region "eu-mars-1": is not a known AWS region/);
    expect(message).toMatch(/eu-west-1, .*eu-north-1/);
  });

  test('rejects a region outside the allowed jurisdictions without interim', () => {
    const message = problemsOf(configWith((c) => (c.enclaves[1].region = 'us-east-1')));
    expect(message).toMatch(/enclaves\[1\]\.region "us-east-1": is outside Europe \(N\. Virginia, US\)/);
    expect(message).toMatch(/set enclaves\[1\]\.interim\.sunset and enclaves\[1\]\.interim\.migrateTo/);
  });

  test('rejects an opt-in jurisdiction that is not allowed, and accepts it once allowed', () => {
    const london = (c: EditableConfig) => (c.enclaves[1].region = 'eu-west-2');
    expect(problemsOf(configWith(london))).toMatch(
      /"eu-west-2": is in UK, which residency.allowJurisdictions does not allow/,
    );
    const allowed = validate(
      configWith((c) => {
        london(c);
        c.residency!.allowJurisdictions = ['EU', 'EEA', 'UK'];
      }),
    );
    expect(allowed.enclaves[1].region).toBe('eu-west-2');
  });

  test('accepts an interim enclave through its sunset day, and rejects it the day after', () => {
    expect(validate(configWith(interimUs('2027-06-30')), '2027-06-30').enclaves).toHaveLength(4);
    expect(problemsOf(configWith(interimUs('2027-06-30')), '2027-07-01')).toMatch(
      /enclaves\[3\]\.interim\.sunset "2027-06-30": has passed \(today is 2027-07-01\)/,
    );
  });

  test('rejects an interim sunset that is not a date', () => {
    expect(problemsOf(configWith(interimUs('2027-02-30')))).toMatch(
      /interim\.sunset "2027-02-30": is not a date/,
    );
  });

  test('rejects migrateTo naming a missing enclave', () => {
    expect(problemsOf(configWith(interimUs('2027-06-30', 'atlantis')))).toMatch(
      /enclaves\[3\]\.interim\.migrateTo "atlantis": names no enclave in this config; fix: use the name of a European enclave: dublin-1, dublin-2, hamar/,
    );
  });

  test('rejects migrateTo naming a non-European enclave', () => {
    const twoInterims = configWith((c) => {
      interimUs('2027-06-30', 'oregon')(c);
      c.enclaves.push({
        name: 'oregon',
        account: '666666666666',
        region: 'us-west-2',
        cidr: '10.50.0.0/16',
        interim: { sunset: '2027-06-30', migrateTo: 'dublin-1' },
      });
    });
    expect(problemsOf(twoInterims)).toMatch(
      /migrateTo "oregon": names enclave "oregon" in us-west-2, which is not a permanent enclave/,
    );
  });

  test('rejects duplicate enclave names', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[1].name = 'dublin-1')))).toMatch(
      /enclaves\[1\]\.name "dublin-1": duplicates enclaves\[0\]\.name/,
    );
  });

  test('rejects overlapping CIDRs', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[2].cidr = '10.10.128.0/17')))).toMatch(
      /enclaves\[2\]\.cidr "10\.10\.128\.0\/17": overlaps enclaves\[0\]\.cidr 10\.10\.0\.0\/16/,
    );
  });

  test('rejects a malformed CIDR', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[0].cidr = '10.10.0.1/16')))).toMatch(
      /is not an IPv4 CIDR block/,
    );
  });

  test('rejects a bad account id', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[0].account = '12345')))).toMatch(
      /enclaves\[0\]\.account "12345": is not a 12-digit AWS account ID/,
    );
    expect(problemsOf(configWith((c) => (c.monitoring!.account = 'abc')))).toMatch(
      /monitoring\.account "abc"/,
    );
  });

  test('rejects AZ names that do not belong to the region', () => {
    const message = problemsOf(configWith((c) => (c.enclaves[2].azs = ['eu-north-1a', 'eu-west-1b'])));
    expect(message).toMatch(/enclaves\[2\]\.azs\[1\] "eu-west-1b": does not belong to region eu-north-1/);
  });

  test('rejects an AZ letter the region does not have', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[0].azs = ['eu-west-1z'])))).toMatch(
      /"eu-west-1z": is not an AZ of eu-west-1/,
    );
  });

  test('rejects an enclave and monitoring plane in different partitions', () => {
    const message = problemsOf(configWith((c) => (c.enclaves[0].region = 'eusc-de-east-1')));
    expect(message).toMatch(
      /enclaves\[0\]\.region "eusc-de-east-1": is in partition aws-eusc but monitoring\.region eu-west-1 is in aws/,
    );
  });

  test('accepts a sovereign-cloud enclave with a monitoring plane in the same partition', () => {
    const config = validate({
      enclaves: [
        { name: 'brandenburg', account: '777777777777', region: 'eusc-de-east-1', cidr: '10.60.0.0/16' },
      ],
      monitoring: {
        account: '888888888888',
        region: 'eusc-de-east-1',
        ingestUrl: 'https://ingest.example.eu/',
      },
    });
    expect(config.enclaves[0].azs).toEqual(['eusc-de-east-1a', 'eusc-de-east-1b', 'eusc-de-east-1c']);
  });

  test('rejects an ingestUrl that is not https', () => {
    expect(problemsOf(configWith((c) => (c.monitoring!.ingestUrl = 'http://monitor.example.eu')))).toMatch(
      /monitoring\.ingestUrl "http:\/\/monitor\.example\.eu": is not an https:\/\/ URL/,
    );
    expect(problemsOf(configWith((c) => (c.monitoring!.ingestUrl = 'not a url')))).toMatch(
      /monitoring\.ingestUrl "not a url"/,
    );
  });

  test('rejects a monitoring plane outside Europe', () => {
    expect(problemsOf(configWith((c) => (c.monitoring!.region = 'us-east-1')))).toMatch(
      /monitoring\.region "us-east-1": is outside the allowed jurisdictions/,
    );
  });

  test('rejects unknown keys and wrong types, naming each', () => {
    const message = problemsOf(
      configWith((c) => {
        c.enclaves[0].regoin = 'eu-west-1';
        c.enclaves[1].egress = 'yes';
      }),
    );
    expect(message).toMatch(/enclaves\[0\]\.regoin "eu-west-1": is not a Clover config key/);
    expect(message).toMatch(/enclaves\[1\]\.egress "yes": must be boolean/);
  });

  test('refuses an enclave without egress: its shipper could not reach the monitor', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[1].egress = false)))).toMatch(
      /enclaves\[1\]\.egress false: leaves the enclave no way out.*monitoring\.ingestUrl.*remove "egress": false/s,
    );
  });

  test('reports a missing required key', () => {
    expect(problemsOf(configWith((c) => delete c.monitoring))).toMatch(/monitoring \(missing\): is required/);
  });

  test('collects every problem and throws once', () => {
    const input = configWith((c) => {
      c.enclaves[0].region = 'us-east-1';
      c.enclaves[1].account = '1';
      c.monitoring!.ingestUrl = 'http://x';
    });
    try {
      validate(input);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((p) => p.path);
      // dublin-1 leaving Europe also breaks its replication pair: four problems, one error.
      expect(problems).toEqual([
        'enclaves[0].region',
        'enclaves[1].account',
        'monitoring.ingestUrl',
        'replication[0].from',
      ]);
      expect((error as ConfigError).message).toMatch(/4 problems/);
    }
  });
});

describe('network config validation', () => {
  test('rejects a CIDR too small for the AZ count', () => {
    expect(
      problemsOf(
        configWith((c) => {
          delete c.residency;
          c.enclaves[0].cidr = '10.10.0.0/25';
        }),
      ),
    ).toMatch(/must be between \/16 and \/24/);
    const sixAzs = configWith((c) => {
      c.enclaves.push({
        name: 'virginia',
        account: '555555555555',
        region: 'us-east-1',
        cidr: '10.40.0.0/24',
        azCount: 6,
        interim: { sunset: '2027-01-01', migrateTo: 'dublin-1' },
      });
    });
    expect(problemsOf(sixAzs)).toMatch(/enclaves\[3\]\.cidr "10\.40\.0\.0\/24": is too small for 6 AZs/);
  });

  test('rejects overlapping enclave and inspection CIDRs', () => {
    expect(
      problemsOf(configWith((c) => (c.enclaves[0].gateway = { inspectionCidr: '10.10.4.0/22' }))),
    ).toMatch(
      /enclaves\[0\]\.gateway\.inspectionCidr "10\.10\.4\.0\/22": overlaps the enclave CIDR 10\.10\.0\.0\/16/,
    );
  });

  test('rejects more AZs than the region catalogue lists', () => {
    expect(problemsOf(configWith((c) => (c.enclaves[0].azCount = 4)))).toMatch(
      /enclaves\[0\]\.azCount 4: is more than the 3 AZs the region catalogue lists for eu-west-1/,
    );
  });

  test('rejects an appliance AMI whose architecture differs from the instance type', () => {
    const message = problemsOf(
      configWith(
        (c) =>
          (c.enclaves[0].gateway = {
            applianceInstanceType: 'c7g.large',
            applianceAmi: { image: 'ami-0123456789abcdef0', architecture: 'x86_64' },
          }),
      ),
    );
    expect(message).toMatch(
      /enclaves\[0\]\.gateway\.applianceAmi\.architecture "x86_64": does not match instance type c7g\.large \(arm64\)/,
    );
  });

  test('accepts a matching x86 AMI and instance type', () => {
    const config = validate(
      configWith(
        (c) =>
          (c.enclaves[0].gateway = {
            applianceInstanceType: 'c6i.large',
            applianceAmi: { image: 'ami-0123456789abcdef0', architecture: 'x86_64' },
          }),
      ),
    );
    expect(config.enclaves[0].gateway.applianceInstanceType).toBe('c6i.large');
  });
});

describe('rules of your own', () => {
  test('keeps the rule modules named, defaulting to none', () => {
    expect(validate(DEFAULT_CONFIG).rules).toEqual([]);
    expect(validate(configWith((config) => (config.rules = ['rules/tags.ts']))).rules).toEqual([
      'rules/tags.ts',
    ]);
  });

  test('rejects an empty module name and a rules value that is not a list', () => {
    expect(() => validate(configWith((config) => (config.rules = [' '])))).toThrow(
      /rules\[0\] " ": names no rule module; fix: give the path of a module that exports CloverRule objects/,
    );
    expect(problemsOf(configWith((config) => (config.rules = 'rules/tags.ts')))).toMatch(/rules/);
  });
});
