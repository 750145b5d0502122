import {
  DEFAULT_INSPECTION_CIDR,
  enclaveNetworkPropsProblems,
  securityGatewayPropsProblems,
  underPath,
} from '../../lib/config/network-props';

const lines = (problems: ReturnType<typeof securityGatewayPropsProblems>): string[] =>
  problems.map((problem) => `${problem.path} ${JSON.stringify(problem.value)}: ${problem.problem}`);

describe('enclaveNetworkPropsProblems', () => {
  test('accepts a /16 for three tiers in three AZs', () => {
    expect(enclaveNetworkPropsProblems({ cidr: '10.10.0.0/16', tierCount: 3, azCount: 3 })).toEqual([]);
  });

  test('rejects a malformed block, a block with host bits and a prefix outside /16–/24', () => {
    expect(lines(enclaveNetworkPropsProblems({ cidr: '10.10.0.0', tierCount: 3, azCount: 3 }))).toEqual([
      'cidr "10.10.0.0": is not an IPv4 CIDR block (network address with no host bits)',
    ]);
    expect(
      lines(enclaveNetworkPropsProblems({ cidr: '10.10.0.1/16', tierCount: 3, azCount: 3 })),
    ).toHaveLength(1);
    expect(lines(enclaveNetworkPropsProblems({ cidr: '10.0.0.0/8', tierCount: 3, azCount: 3 }))).toEqual([
      'cidr "10.0.0.0/8": must be between /16 and /24',
    ]);
  });

  test('rejects a block too small for a /28 subnet per tier and AZ', () => {
    expect(lines(enclaveNetworkPropsProblems({ cidr: '10.40.0.0/24', tierCount: 3, azCount: 6 }))).toEqual([
      'cidr "10.40.0.0/24": is too small for 6 AZs × 3 tiers (each subnet needs at least /28)',
    ]);
  });
});

describe('securityGatewayPropsProblems', () => {
  test('accepts the defaults', () => {
    expect(securityGatewayPropsProblems({ enclaveCidr: '10.10.0.0/16', azCount: 3 })).toEqual([]);
  });

  test('rejects an inspection block that overlaps the enclave, and a fleet smaller than the AZs', () => {
    expect(
      lines(
        securityGatewayPropsProblems({
          inspectionCidr: '10.10.0.0/22',
          enclaveCidr: '10.10.0.0/16',
          azCount: 3,
          minInstances: 2,
          maxInstances: 1,
        }),
      ),
    ).toEqual([
      'inspectionCidr "10.10.0.0/22": overlaps the enclave CIDR 10.10.0.0/16',
      'minInstances 2: is fewer than the 3 AZs',
      'maxInstances 1: is below the minimum',
    ]);
  });

  test('compares the maximum with the default minimum, the AZ count', () => {
    expect(
      lines(securityGatewayPropsProblems({ enclaveCidr: '10.10.0.0/16', azCount: 3, maxInstances: 2 })),
    ).toEqual(['maxInstances 2: is below the minimum']);
  });

  test('rejects an inspection block too small for one subnet per AZ', () => {
    expect(
      lines(
        securityGatewayPropsProblems({
          inspectionCidr: '100.64.0.0/24',
          enclaveCidr: '10.10.0.0/16',
          azCount: 17,
        }),
      ),
    ).toEqual([
      'inspectionCidr "100.64.0.0/24": is too small for 17 AZs × 1 tier (each subnet needs at least /28)',
    ]);
  });

  test('checks the appliance image first: instance type, AMI ID and their architectures', () => {
    expect(
      lines(
        securityGatewayPropsProblems({
          applianceInstanceType: 'c7g.large',
          applianceAmi: { image: 'ami-0123456789abcdef0', architecture: 'x86_64' },
          enclaveCidr: '10.10.0.0/16',
          azCount: 3,
          minInstances: 1,
        }),
      ),
    ).toEqual([
      'applianceAmi.architecture "x86_64": does not match instance type c7g.large (arm64): the instances would not boot',
      'minInstances 1: is fewer than the 3 AZs',
    ]);
    expect(
      lines(
        securityGatewayPropsProblems({
          applianceInstanceType: 'huge',
          applianceAmi: { image: 'ami-nope' },
          enclaveCidr: '10.10.0.0/16',
          azCount: 3,
        }),
      ),
    ).toEqual([
      'applianceInstanceType "huge": is not an EC2 instance type',
      'applianceAmi.image "ami-nope": is neither "al2023" nor an AMI ID',
      'applianceAmi.architecture undefined: is required with a custom AMI ID',
    ]);
  });

  test('names the default inspection block in the overlap fix', () => {
    const [overlap] = securityGatewayPropsProblems({
      inspectionCidr: '10.10.4.0/22',
      enclaveCidr: '10.10.0.0/16',
      azCount: 3,
    });
    expect(overlap.fix).toContain(DEFAULT_INSPECTION_CIDR);
  });
});

test('underPath puts each problem under the config path', () => {
  const problems = underPath(
    'enclaves[1].gateway',
    securityGatewayPropsProblems({ enclaveCidr: '10.10.0.0/16', azCount: 3, minInstances: 1 }),
  );
  expect(problems.map((problem) => problem.path)).toEqual(['enclaves[1].gateway.minInstances']);
});
