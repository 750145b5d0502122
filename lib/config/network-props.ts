/**
 * The checks of the network constructs' props that config validation makes
 * too, written once: EnclaveNetwork and SecurityGateway call them on their
 * props, the config validator on each enclave with its path as prefix. Pure,
 * in lib/config because the config layer imports no construct.
 */
import { cidrsOverlap, parseCidr, subnetPlanProblem } from './cidr';
import type { ConfigProblem } from './errors';

/** Inspection VPC block of a security gateway: carrier-grade NAT space, outside RFC 1918. */
export const DEFAULT_INSPECTION_CIDR = '100.64.0.0/22';

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

/** Problems of a security gateway's inspection block and fleet size (`inspectionCidr`, `minInstances`, `maxInstances`). */
export function securityGatewayPropsProblems(props: SecurityGatewaySizing): ConfigProblem[] {
  const inspectionCidr = props.inspectionCidr ?? DEFAULT_INSPECTION_CIDR;
  const problems = vpcCidrProblems(
    'inspectionCidr',
    inspectionCidr,
    1,
    props.azCount,
    DEFAULT_INSPECTION_CIDR,
    'use a larger block such as /22',
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
