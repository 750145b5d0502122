import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { ApplianceAmiConfig } from '../../config/types';
import { instanceArchitecture } from '../../config/validate';

export type CpuArchitecture = 'arm64' | 'x86_64';

/** The `image` value that selects the latest Amazon Linux 2023 for the instance type's architecture. */
export const AL2023 = 'al2023';

const AMI_ID_PATTERN = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

export interface ImageProblem {
  readonly prop: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/**
 * Problems with an appliance instance type and AMI pair: an unknown instance
 * type, a malformed AMI ID, a custom AMI without an architecture, or an AMI
 * built for another CPU architecture than the instance type.
 */
export function applianceImageProblems(instanceType: string, ami: ApplianceAmiConfig): ImageProblem[] {
  const problems: ImageProblem[] = [];
  const instanceArch = instanceArchitecture(instanceType);
  if (!instanceArch) {
    problems.push({
      prop: 'applianceInstanceType',
      value: instanceType,
      problem: 'is not an EC2 instance type',
      fix: 'write it like "c7g.large"',
    });
  }
  if (ami.image === AL2023) return problems;
  if (!AMI_ID_PATTERN.test(ami.image)) {
    problems.push({
      prop: 'applianceAmi.image',
      value: ami.image,
      problem: `is neither "${AL2023}" nor an AMI ID`,
      fix: `write "${AL2023}" or an AMI ID like "ami-0123456789abcdef0"`,
    });
  }
  if (!ami.architecture) {
    problems.push({
      prop: 'applianceAmi.architecture',
      value: undefined,
      problem: 'is required with a custom AMI ID',
      fix: 'add "arm64" or "x86_64"',
    });
  } else if (instanceArch && ami.architecture !== instanceArch) {
    problems.push({
      prop: 'applianceAmi.architecture',
      value: ami.architecture,
      problem: `does not match instance type ${instanceType} (${instanceArch}): the instances would not boot`,
      fix: `use an ${instanceArch} AMI, or an instance type built for ${ami.architecture}`,
    });
  }
  return problems;
}

/** Instance families paired as capacity fallbacks: same generation, same CPU architecture, all Nitro. */
const FALLBACK_FAMILIES: Readonly<Record<string, string>> = {
  c6g: 'm6g',
  m6g: 'c6g',
  c7g: 'm7g',
  m7g: 'c7g',
  c8g: 'm8g',
  m8g: 'c8g',
  c6i: 'm6i',
  m6i: 'c6i',
  c7i: 'm7i',
  m7i: 'c7i',
  c6a: 'm6a',
  m6a: 'c6a',
  c7a: 'm7a',
  m7a: 'c7a',
};
/** Sizes that every paired family offers. */
const FALLBACK_SIZES = new Set(['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge']);

/**
 * A second instance type the fleet may launch when the configured one has no
 * capacity in an AZ: the paired family (compute ↔ general purpose) of the same
 * generation, architecture and size, e.g. `c7g.large` → `m7g.large`.
 * Undefined for types outside the table, which then run alone.
 */
export function fallbackInstanceType(instanceType: string): string | undefined {
  const [family, size] = instanceType.split('.');
  const pair = FALLBACK_FAMILIES[family];
  return pair && FALLBACK_SIZES.has(size) ? `${pair}.${size}` : undefined;
}

/**
 * The appliance image: the latest Amazon Linux 2023 for `architecture`
 * (resolved by CloudFormation from the public SSM parameter at deploy time,
 * no lookup at synth), or the given AMI in `region`.
 */
export function applianceMachineImage(
  ami: ApplianceAmiConfig,
  architecture: CpuArchitecture,
  region: string,
): ec2.IMachineImage {
  if (ami.image === AL2023) {
    return ec2.MachineImage.latestAmazonLinux2023({
      cpuType: architecture === 'arm64' ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
    });
  }
  return ec2.MachineImage.genericLinux({ [region]: ami.image });
}
