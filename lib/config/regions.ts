/**
 * The region catalogue: which AWS regions are European, in which jurisdiction
 * each one sits, and their availability-zone names, so that stacks for any
 * account get real AZs without a live lookup.
 */

/** A residency jurisdiction. EU and EEA are allowed by default; CH and UK are opt-in. */
export type EuropeanJurisdiction = 'EU' | 'EEA' | 'CH' | 'UK';

/** Every jurisdiction a region can sit in: European ones, or an ISO country code outside Europe. */
export type Jurisdiction = EuropeanJurisdiction | `NON-EU:${string}`;

export const EUROPEAN_JURISDICTIONS: readonly EuropeanJurisdiction[] = ['EU', 'EEA', 'CH', 'UK'];
export const DEFAULT_ALLOWED_JURISDICTIONS: readonly EuropeanJurisdiction[] = ['EU', 'EEA'];

export interface RegionInfo {
  /** Region code, e.g. `eu-west-1`. */
  readonly code: string;
  /** AWS partition (`aws`, `aws-eusc`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** DNS suffix of the partition's service endpoints. */
  readonly dnsSuffix: string;
  readonly jurisdiction: Jurisdiction;
  /** ISO 3166-1 alpha-2 country of the data centres. */
  readonly country: string;
  readonly city: string;
  /** AZ names; listed for every European region and for regions used by examples. */
  readonly azs?: readonly string[];
  /** True for regions that an account must opt in to before use. */
  readonly optIn?: boolean;
  readonly note?: string;
}

function azs(code: string, letters: string): string[] {
  return [...letters].map((letter) => `${code}${letter}`);
}

function european(
  code: string,
  jurisdiction: EuropeanJurisdiction,
  country: string,
  city: string,
  extra: Partial<RegionInfo> = {},
): RegionInfo {
  return {
    code,
    partition: 'aws',
    dnsSuffix: 'amazonaws.com',
    jurisdiction,
    country,
    city,
    azs: azs(code, 'abc'),
    ...extra,
  };
}

function outside(code: string, country: string, city: string, extra: Partial<RegionInfo> = {}): RegionInfo {
  return {
    code,
    partition: 'aws',
    dnsSuffix: 'amazonaws.com',
    jurisdiction: `NON-EU:${country}`,
    country,
    city,
    ...extra,
  };
}

const CATALOGUE: readonly RegionInfo[] = [
  european('eu-west-1', 'EU', 'IE', 'Dublin'),
  european('eu-west-3', 'EU', 'FR', 'Paris'),
  european('eu-central-1', 'EU', 'DE', 'Frankfurt'),
  european('eu-north-1', 'EU', 'SE', 'Stockholm', {
    note: 'AWS has no Norwegian region: the Hamar (Norway, EEA) site maps to eu-north-1 (Stockholm, EU).',
  }),
  european('eu-south-1', 'EU', 'IT', 'Milan', { optIn: true }),
  european('eu-south-2', 'EU', 'ES', 'Aragon', { optIn: true }),
  european('eu-central-2', 'CH', 'CH', 'Zurich', { optIn: true }),
  european('eu-west-2', 'UK', 'GB', 'London'),
  {
    code: 'eusc-de-east-1',
    partition: 'aws-eusc',
    dnsSuffix: 'amazonaws.eu',
    jurisdiction: 'EU',
    country: 'DE',
    city: 'Brandenburg',
    azs: azs('eusc-de-east-1', 'abc'),
    note: 'AWS European Sovereign Cloud: its own partition (aws-eusc), operated in the EU.',
  },
  outside('us-east-1', 'US', 'N. Virginia', { azs: azs('us-east-1', 'abcdef') }),
  outside('us-east-2', 'US', 'Ohio', { azs: azs('us-east-2', 'abc') }),
  outside('us-west-1', 'US', 'N. California'),
  outside('us-west-2', 'US', 'Oregon', { azs: azs('us-west-2', 'abcd') }),
  outside('ca-central-1', 'CA', 'Montreal'),
  outside('ca-west-1', 'CA', 'Calgary', { optIn: true }),
  outside('mx-central-1', 'MX', 'Querétaro', { optIn: true }),
  outside('sa-east-1', 'BR', 'São Paulo'),
  outside('af-south-1', 'ZA', 'Cape Town', { optIn: true }),
  outside('il-central-1', 'IL', 'Tel Aviv', { optIn: true }),
  outside('me-south-1', 'BH', 'Bahrain', { optIn: true }),
  outside('me-central-1', 'AE', 'UAE', { optIn: true }),
  outside('me-west-1', 'SA', 'Saudi Arabia', { optIn: true }),
  outside('ap-east-1', 'HK', 'Hong Kong', { optIn: true }),
  outside('ap-east-2', 'TW', 'Taipei', { optIn: true }),
  outside('ap-south-1', 'IN', 'Mumbai'),
  outside('ap-south-2', 'IN', 'Hyderabad', { optIn: true }),
  outside('ap-southeast-1', 'SG', 'Singapore'),
  outside('ap-southeast-2', 'AU', 'Sydney'),
  outside('ap-southeast-3', 'ID', 'Jakarta', { optIn: true }),
  outside('ap-southeast-4', 'AU', 'Melbourne', { optIn: true }),
  outside('ap-southeast-5', 'MY', 'Malaysia', { optIn: true }),
  outside('ap-southeast-6', 'NZ', 'Auckland', { optIn: true }),
  outside('ap-southeast-7', 'TH', 'Bangkok', { optIn: true }),
  outside('ap-northeast-1', 'JP', 'Tokyo'),
  outside('ap-northeast-2', 'KR', 'Seoul'),
  outside('ap-northeast-3', 'JP', 'Osaka'),
  outside('cn-north-1', 'CN', 'Beijing', { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' }),
  outside('cn-northwest-1', 'CN', 'Ningxia', { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' }),
  outside('us-gov-east-1', 'US', 'GovCloud (US-East)', { partition: 'aws-us-gov' }),
  outside('us-gov-west-1', 'US', 'GovCloud (US-West)', { partition: 'aws-us-gov' }),
];

const BY_CODE = new Map(CATALOGUE.map((region) => [region.code, region]));

/** All regions Clover knows, European first. */
export function allRegions(): readonly RegionInfo[] {
  return CATALOGUE;
}

/** The catalogue entry for a region code, or undefined when Clover does not know the region. */
export function findRegion(code: string): RegionInfo | undefined {
  return BY_CODE.get(code);
}

export function isEuropean(region: RegionInfo): boolean {
  return !region.jurisdiction.startsWith('NON-EU:');
}

/** True when the region sits in one of the allowed jurisdictions. */
export function isAllowedRegion(code: string, allowJurisdictions: readonly string[]): boolean {
  const region = findRegion(code);
  return region !== undefined && allowJurisdictions.includes(region.jurisdiction);
}

/** Region codes inside the allowed jurisdictions, for error messages and policies. */
export function allowedRegionCodes(allowJurisdictions: readonly string[]): string[] {
  return CATALOGUE.filter((region) => allowJurisdictions.includes(region.jurisdiction)).map(
    (region) => region.code,
  );
}

/** A human label such as `EU (Dublin, IE)` or `outside Europe (N. Virginia, US)`. */
export function describeRegion(code: string): string {
  const region = findRegion(code);
  if (!region) return 'unknown region';
  const where = `${region.city}, ${region.country}`;
  return isEuropean(region) ? `${region.jurisdiction} (${where})` : `outside Europe (${where})`;
}

/**
 * Every region code in the catalogue, longest first, for scanning strings
 * (ARNs, hostnames, AZ names) for region names without matching `eu-west-1` inside `eu-west-10`;
 * an AZ name such as `eu-west-1a` names its region.
 */
export const REGION_CODE_PATTERN = new RegExp(
  `(?<![a-z0-9-])(${[...BY_CODE.keys()]
    .sort((a, b) => b.length - a.length)
    .map((code) => code.replace(/-/g, '\\-'))
    .join('|')})(?![0-9])`,
  'g',
);
