/**
 * The checks of the network constructs' props that config validation makes
 * too, written once: EnclaveNetwork and SecurityGateway call them on their
 * props, the config validator on each enclave with its path as prefix. Pure,
 * in lib/config because the config layer imports no construct.
 */
import { cidrsOverlap, parseCidr, subnetPlanProblem } from './cidr';
import type { ConfigProblem } from './errors';
import type { ApplianceAmiConfig } from './types';

/** Inspection VPC block of a security gateway: carrier-grade NAT space, outside RFC 1918. */
export const DEFAULT_INSPECTION_CIDR = '100.64.0.0/22';

/** Appliance instance type: Graviton, compute optimised. */
export const DEFAULT_APPLIANCE_INSTANCE_TYPE = 'c7g.large';

/** The appliance image Clover resolves itself (the latest Amazon Linux 2023 of the instance's architecture). */
export const AL2023 = 'al2023';

const AMI_ID_PATTERN = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;
const INSTANCE_TYPE_PATTERN = /^([a-z]+)(\d+)([a-z-]*)\.([a-z0-9]+)$/;

/** CPU architecture of an EC2 instance family: Graviton families carry a `g` after the generation. */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' | undefined {
  const match = INSTANCE_TYPE_PATTERN.exec(instanceType);
  if (!match) return undefined;
  return match[3].startsWith('g') ? 'arm64' : 'x86_64';
}

/** Prefix lengths a VPC block may have. */
const MIN_VPC_PREFIX = 16;
const MAX_VPC_PREFIX = 24;

/** The props of an enclave VPC that config validation checks too. */
export interface EnclaveNetworkSizing {
  /** The VPC's IPv4 block. */
  readonly cidr: string;
  /** Subnet tiers, one subnet of each in every AZ. */
  readonly tierCount: number;
  readonly azCount: number;
}

/** The props of a security gateway that config validation checks too. */
export interface SecurityGatewaySizing {
  /** @default DEFAULT_APPLIANCE_INSTANCE_TYPE */
  readonly applianceInstanceType?: string;
  /** @default { image: AL2023 } */
  readonly applianceAmi?: ApplianceAmiConfig;
  /** @default DEFAULT_INSPECTION_CIDR */
  readonly inspectionCidr?: string;
  /** The enclave VPC's block, which the inspection VPC must not overlap. */
  readonly enclaveCidr: string;
  readonly azCount: number;
  /** @default the AZ count */
  readonly minInstances?: number;
  /** @default twice the minimum */
  readonly maxInstances?: number;
}

/** Problems of a VPC block: a malformed block, a prefix outside /16–/24, or too small for its subnets. */
function vpcCidrProblems(
  prop: string,
  cidr: string,
  tierCount: number,
  azCount: number,
  example: string,
  largerBlock: string,
): ConfigProblem[] {
  const block = parseCidr(cidr);
  if (!block) {
    return [
      {
        path: prop,
        value: cidr,
        problem: 'is not an IPv4 CIDR block (network address with no host bits)',
        fix: `write it like "${example}"`,
      },
    ];
  }
  if (block.prefix < MIN_VPC_PREFIX || block.prefix > MAX_VPC_PREFIX) {
    return [
      {
        path: prop,
        value: cidr,
        problem: `must be between /${MIN_VPC_PREFIX} and /${MAX_VPC_PREFIX}`,
        fix: `choose a prefix length from ${MIN_VPC_PREFIX} to ${MAX_VPC_PREFIX}`,
      },
    ];
  }
  const tooSmall = subnetPlanProblem(cidr, tierCount, azCount);
  return tooSmall ? [{ path: prop, value: cidr, problem: tooSmall, fix: largerBlock }] : [];
}

/** Problems of an enclave VPC's block (`cidr`). */
export function enclaveNetworkPropsProblems(props: EnclaveNetworkSizing): ConfigProblem[] {
  return vpcCidrProblems(
    'cidr',
    props.cidr,
    props.tierCount,
    props.azCount,
    '10.10.0.0/16',
    'use a larger block (e.g. /20) or fewer AZs',
  );
}

/**
 * Problems with an appliance instance type and AMI pair: an unknown instance
 * type, a malformed AMI ID, or a custom AMI without its architecture or built
 * for another one than the instance type's (the instances would not boot).
 */
export function applianceImageProblems(instanceType: string, ami: ApplianceAmiConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const instanceArch = instanceArchitecture(instanceType);
  if (!instanceArch) {
    problems.push({
      path: 'applianceInstanceType',
      value: instanceType,
      problem: 'is not an EC2 instance type',
      fix: 'write it like "c7g.large"',
    });
  }
  if (ami.image === AL2023) return problems;
  if (!AMI_ID_PATTERN.test(ami.image)) {
    problems.push({
      path: 'applianceAmi.image',
      value: ami.image,
      problem: `is neither "${AL2023}" nor an AMI ID`,
      fix: `write "${AL2023}" or an AMI ID like "ami-0123456789abcdef0"`,
    });
  }
  if (!ami.architecture) {
    problems.push({
      path: 'applianceAmi.architecture',
      value: undefined,
      problem: 'is required with a custom AMI ID',
      fix: 'add "arm64" or "x86_64"',
    });
  } else if (instanceArch && ami.architecture !== instanceArch) {
    problems.push({
      path: 'applianceAmi.architecture',
      value: ami.architecture,
      problem: `does not match instance type ${instanceType} (${instanceArch}): the instances would not boot`,
      fix: `use an ${instanceArch} AMI, or an instance type built for ${ami.architecture}`,
    });
  }
  return problems;
}

/**
 * Problems of a security gateway's appliances, inspection block and fleet size
 * (`applianceInstanceType`, `applianceAmi`, `inspectionCidr`, `minInstances`, `maxInstances`).
 */
export function securityGatewayPropsProblems(props: SecurityGatewaySizing): ConfigProblem[] {
  const inspectionCidr = props.inspectionCidr ?? DEFAULT_INSPECTION_CIDR;
  const problems = applianceImageProblems(
    props.applianceInstanceType ?? DEFAULT_APPLIANCE_INSTANCE_TYPE,
    props.applianceAmi ?? { image: AL2023 },
  );
  problems.push(
    ...vpcCidrProblems(
      'inspectionCidr',
      inspectionCidr,
      1,
      props.azCount,
      DEFAULT_INSPECTION_CIDR,
      'use a larger block such as /22',
    ),
  );
  const inspection = parseCidr(inspectionCidr);
  const enclave = parseCidr(props.enclaveCidr);
  if (inspection && enclave && cidrsOverlap(inspection, enclave)) {
    problems.push({
      path: 'inspectionCidr',
      value: inspectionCidr,
      problem: `overlaps the enclave CIDR ${props.enclaveCidr}`,
      fix: `choose a block outside the enclave CIDR (the default ${DEFAULT_INSPECTION_CIDR} is outside RFC 1918)`,
    });
  }
  const minInstances = props.minInstances ?? props.azCount;
  if (!Number.isInteger(minInstances) || minInstances < props.azCount) {
    problems.push({
      path: 'minInstances',
      value: minInstances,
      problem: `is fewer than the ${props.azCount} AZs`,
      fix: `use at least ${props.azCount} so every AZ has an appliance`,
    });
  }
  const maxInstances = props.maxInstances ?? 2 * minInstances;
  if (!Number.isInteger(maxInstances) || maxInstances < minInstances) {
    problems.push({
      path: 'maxInstances',
      value: maxInstances,
      problem: 'is below the minimum',
      fix: `use at least ${minInstances}`,
    });
  }
  return problems;
}

/** The problems with each path under `prefix` (`enclaves[0].gateway`). */
export function underPath(prefix: string, problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.map((problem) => ({ ...problem, path: `${prefix}.${problem.path}` }));
}
