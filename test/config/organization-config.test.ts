import { ConfigError, validateConfig } from '../../lib/config';
import { DEFAULT_CONFIG } from '../../lib/config/defaults';
import { baselineRegions, baselineTargets, enclaveOrgPathPatterns } from '../../lib/config/organization';

const TODAY = '2026-11-23';
type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function configWith(guardrails: unknown, edit: (config: Editable) => void = () => undefined): Editable {
  const copy = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Editable;
  copy.guardrails = guardrails;
  edit(copy);
  return copy;
}

const validate = (input: unknown) => validateConfig(input, { today: TODAY, source: 'org.json' });

function problemsOf(input: unknown): string {
  try {
    validate(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('guardrails.organization', () => {
  test('takes an object with the organisation ID and the enclave OUs', () => {
    const config = validate(
      configWith({
        managementAccount: '999999999999',
        organization: { id: 'o-a1b2c3d4e5', enclaveOus: ['ou-ab12-cdef3456', 'ou-ab12-99999999'] },
      }),
    );
    expect(config.guardrails?.organization).toEqual({
      id: 'o-a1b2c3d4e5',
      enclaveOus: ['ou-ab12-cdef3456', 'ou-ab12-99999999'],
      configRecorder: true,
    });
    expect(enclaveOrgPathPatterns(config.guardrails!.organization!)).toEqual([
      'o-a1b2c3d4e5/*/ou-ab12-cdef3456/*',
      'o-a1b2c3d4e5/*/ou-ab12-99999999/*',
    ]);
  });

  test('takes a bare ID, with the enclave OUs from guardrails.targetIds (accounts left out)', () => {
    const config = validate(
      configWith({
        managementAccount: '999999999999',
        targetIds: ['ou-ab12-cdef3456', '111111111111', 'r-ab12'],
        organization: 'o-a1b2c3d4e5',
      }),
    );
    expect(config.guardrails?.organization?.enclaveOus).toEqual(['ou-ab12-cdef3456', 'r-ab12']);
    expect(enclaveOrgPathPatterns(config.guardrails!.organization!)).toEqual([
      'o-a1b2c3d4e5/*/ou-ab12-cdef3456/*',
      'o-a1b2c3d4e5/r-ab12/*',
    ]);
  });

  test('rejects a malformed organisation ID, an account as an enclave OU and an unknown key, all at once', () => {
    const message = problemsOf(
      configWith({
        managementAccount: '999999999999',
        organization: { id: 'org-1', enclaveOus: ['111111111111'], ous: [] },
      }),
    );
    expect(message).toMatch(/guardrails\.organization\.ous \[\]: is not a Clover config key/);
    const fields = problemsOf(
      configWith({
        managementAccount: '999999999999',
        organization: { id: 'org-1', enclaveOus: ['111111111111'] },
      }),
    );
    expect(fields).toMatch(
      /guardrails\.organization\.id "org-1": is not an AWS Organizations organisation ID; fix: write it as "o-"/,
    );
    expect(fields).toMatch(
      /guardrails\.organization\.enclaveOus\[0\] "111111111111": is not an OU or root ID; .*fix: use an OU ID/,
    );
  });

  test('asks for the enclave OUs when neither enclaveOus nor targetIds name one', () => {
    expect(
      problemsOf(configWith({ managementAccount: '999999999999', organization: 'o-a1b2c3d4e5' })),
    ).toMatch(
      /guardrails\.organization\.enclaveOus \(missing\): is required: guardrails\.targetIds names no OU or root/,
    );
    expect(
      problemsOf(
        configWith({
          managementAccount: '999999999999',
          organization: { id: 'o-a1b2c3d4e5', enclaveOus: [] },
        }),
      ),
    ).toMatch(/guardrails\.organization\.enclaveOus \[\]: lists no OU/);
  });

  test('rejects an organisation in a partition without enclaves: an aws StackSet cannot reach aws-eusc and back', () => {
    const message = problemsOf(
      configWith({
        managementAccount: '999999999999',
        region: 'eusc-de-east-1',
        organization: { id: 'o-a1b2c3d4e5', enclaveOus: ['ou-ab12-cdef3456'] },
      }),
    );
    expect(message).toMatch(
      /guardrails\.region "eusc-de-east-1": puts the organisation in partition aws-eusc, where no permanent enclave in the allowed jurisdictions lives \(enclaves: aws\).*fix: set guardrails\.region to a region of the enclaves' partition \(eu-west-1,/,
    );
  });
});

describe('baseline regions', () => {
  const organization = {
    managementAccount: '999999999999',
    organization: { id: 'o-a1b2c3d4e5', enclaveOus: ['ou-ab12-cdef3456'] },
  };

  test('are the enclaves’ regions once each; an opt-in region only where an enclave lives', () => {
    expect(baselineRegions(validate(configWith(organization)))).toEqual(['eu-west-1', 'eu-north-1']);
    const milan = validate(
      configWith(organization, (c) =>
        c.enclaves.push({
          name: 'milan',
          account: '777777777777',
          region: 'eu-south-1',
          cidr: '10.50.0.0/16',
        }),
      ),
    );
    expect(baselineRegions(milan)).toEqual(['eu-west-1', 'eu-north-1', 'eu-south-1']);
    expect(baselineRegions(milan)).not.toContain('eu-south-2');
  });

  test('go to every account of the OUs, but an opt-in region only to the accounts of its enclaves', () => {
    // An opt-in region is off in every account that did not turn it on: a stack instance there fails.
    const config = validate(
      configWith(organization, (c) =>
        c.enclaves.push(
          { name: 'milan', account: '777777777777', region: 'eu-south-1', cidr: '10.50.0.0/16' },
          { name: 'milan-2', account: '888888888888', region: 'eu-south-1', cidr: '10.60.0.0/16' },
          { name: 'aragon', account: '777777777777', region: 'eu-south-2', cidr: '10.70.0.0/16' },
        ),
      ),
    );
    expect(baselineTargets(config)).toEqual([
      { regions: ['eu-west-1', 'eu-north-1'] },
      { regions: ['eu-south-1'], accounts: ['777777777777', '888888888888'] },
      { regions: ['eu-south-2'], accounts: ['777777777777'] },
    ]);
    expect(baselineTargets(validate(configWith(organization)))).toEqual([
      { regions: ['eu-west-1', 'eu-north-1'] },
    ]);
  });

  test('leave out an interim enclave’s region outside the allowed jurisdictions', () => {
    const config = validate(
      configWith(organization, (c) =>
        c.enclaves.push({
          name: 'virginia',
          account: '555555555555',
          region: 'us-east-1',
          cidr: '10.40.0.0/16',
          interim: { sunset: '2030-12-31', migrateTo: 'dublin-1' },
        }),
      ),
    );
    expect(baselineRegions(config)).toEqual(['eu-west-1', 'eu-north-1']);
  });

  test('in the sovereign partition are the sovereign enclave’s region only', () => {
    const config = validate(
      configWith({ ...organization, region: 'eusc-de-east-1' }, (c) => {
        c.enclaves = [
          { name: 'brandenburg', account: '111111111111', region: 'eusc-de-east-1', cidr: '10.10.0.0/16' },
        ];
        c.monitoring.region = 'eusc-de-east-1';
        c.replication = [];
        delete c.pipeline;
      }),
    );
    expect(baselineRegions(config)).toEqual(['eusc-de-east-1']);
  });
});
