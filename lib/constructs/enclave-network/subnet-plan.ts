import { cidrSize, parseCidr, subnetPlanProblem } from '../../config/cidr';

/** One planned subnet: its tier, AZ and IPv4 block. */
export interface PlannedSubnet {
  /** Tier name, e.g. `workload`. */
  readonly tier: string;
  readonly availabilityZone: string;
  /** IPv4 CIDR, e.g. `10.10.0.0/20`. */
  readonly cidr: string;
  /** Position of the subnet in the plan; also its index into the VPC's IPv6 /64 blocks. */
  readonly index: number;
}

/**
 * Splits a VPC block into equal subnets, one per tier per AZ, tier-major
 * (all workload subnets first). The block is cut into the next power of two
 * of `tiers × AZs` pieces, the same sizing rule as config validation.
 * Throws when the block is malformed or too small.
 */
export function planSubnets(
  vpcCidr: string,
  tiers: readonly string[],
  availabilityZones: readonly string[],
): PlannedSubnet[] {
  const block = parseCidr(vpcCidr);
  if (!block) throw new Error(`"${vpcCidr}" is not an IPv4 CIDR block`);
  const count = tiers.length * availabilityZones.length;
  if (count === 0) return [];
  const problem = subnetPlanProblem(vpcCidr, tiers.length, availabilityZones.length);
  if (problem) throw new Error(`"${vpcCidr}" ${problem}`);
  const prefix = block.prefix + Math.ceil(Math.log2(count));
  const size = cidrSize({ network: 0, prefix });
  const plan: PlannedSubnet[] = [];
  tiers.forEach((tier, tierIndex) => {
    availabilityZones.forEach((availabilityZone, azIndex) => {
      const index = tierIndex * availabilityZones.length + azIndex;
      plan.push({
        tier,
        availabilityZone,
        cidr: `${formatAddress(block.network + index * size)}/${prefix}`,
        index,
      });
    });
  });
  return plan;
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.');
}
