/** IPv4 CIDR helpers for config validation (pure, no CDK). */

export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined;
  return { network: address, prefix };
}

function lastAddress(cidr: Ipv4Cidr): number {
  return cidr.network + 2 ** (32 - cidr.prefix) - 1;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** Number of addresses in the block. */
export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** Smallest subnet AWS allows (/28). */
export const MIN_SUBNET_PREFIX = 28;

/**
 * Why `vpcCidr` cannot hold `tierCount × azCount` equal subnets of at least /28,
 * or undefined when it can (or when the block is malformed: parse it first).
 */
export function subnetPlanProblem(vpcCidr: string, tierCount: number, azCount: number): string | undefined {
  const block = parseCidr(vpcCidr);
  if (!block || tierCount * azCount === 0) return undefined;
  const prefix = block.prefix + Math.ceil(Math.log2(tierCount * azCount));
  return prefix > MIN_SUBNET_PREFIX
    ? `is too small for ${azCount} AZs × ${tierCount} tier${tierCount === 1 ? '' : 's'} (each subnet needs at least /${MIN_SUBNET_PREFIX})`
    : undefined;
}
