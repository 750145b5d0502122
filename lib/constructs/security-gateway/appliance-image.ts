import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { ApplianceAmiConfig } from '../../config/types';
import { AL2023, applianceImageProblems } from '../../config/network-props';

export type CpuArchitecture = 'arm64' | 'x86_64';

// The image checks are pure and shared with config validation (lib/config/network-props.ts).
export { AL2023, applianceImageProblems };

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
