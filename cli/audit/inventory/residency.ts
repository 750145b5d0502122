import { regionMentions, residencyOf } from '../../../lib/audit/residency';
import type { TemplateIndex } from '../../../lib/audit/template';
import { findRegion } from '../../../lib/config/regions';

/** A region with the jurisdiction it sits in and whether this stack may use it. */
export interface RegionPlacement {
  readonly region: string;
  /** `EU`, `EEA`, `CH`, `UK`, `NON-EU:<country>`, or `unknown`. */
  readonly jurisdiction: string;
  readonly allowed: boolean;
}

/** One row of the residency map: where a resource lives and which other regions it names. */
export interface ResidencyRow {
  readonly stack: string;
  readonly resource: string;
  readonly type: string;
  /** The stack region, or null for an environment-agnostic stack. */
  readonly region: string | null;
  readonly jurisdiction: string;
  readonly allowed: boolean;
  /** Other regions named in its properties (ARNs, endpoints, replica regions), sorted. */
  readonly namedRegions: readonly RegionPlacement[];
}

function jurisdictionOf(region: string): string {
  return findRegion(region)?.jurisdiction ?? 'unknown';
}

/** Every region code in a property value, strings inside intrinsics included, descriptive text and tags left out. */
function regionsNamedIn(value: object, into: Set<string>): void {
  for (const mention of regionMentions(value)) for (const region of mention.regions) into.add(region);
}

/**
 * The residency map of one stack: every resource → its region → jurisdiction,
 * with the regions named in its properties. Allowed means inside the
 * jurisdictions given to the audit, or the region of a live interim enclave
 * (the same policy CLV-RES rules apply).
 */
export function residencyRows(index: TemplateIndex): ResidencyRow[] {
  const policy = residencyOf(index);
  const region = index.context.region;
  const place = (code: string): RegionPlacement => ({
    region: code,
    jurisdiction: jurisdictionOf(code),
    allowed: policy.allows(code),
  });
  const home = region === undefined ? undefined : place(region);
  const rows: ResidencyRow[] = [];
  for (const resource of index.all()) {
    const named = new Set<string>();
    regionsNamedIn(resource.properties, named);
    if (region !== undefined) named.delete(region);
    rows.push({
      stack: index.context.stackName,
      resource: resource.logicalId,
      type: resource.type,
      region: region ?? null,
      jurisdiction: home?.jurisdiction ?? 'unknown',
      allowed: home?.allowed ?? false,
      namedRegions: [...named].sort().map(place),
    });
  }
  return rows;
}
