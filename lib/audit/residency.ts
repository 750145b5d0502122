import { isPast } from '../config/dates';
import { allowedRegionCodes, describeRegion, findRegion, REGION_CODE_PATTERN } from '../config/regions';
import type { TemplateIndex } from './template';
import { isObject, jsonText } from './values';

const DESCRIPTIVE_KEYS = ['Tags', 'DisplayName', 'Description', 'Comment', 'DockerLabels', 'Labels'];

/**
 * Property keys that hold descriptive text, never a data flow: prose
 * (`Description`, `…Description`, `DisplayName`, CloudFront's `Comment`),
 * tags and tag-like labels (`DockerLabels`, `Labels`). A region named there is
 * not a place data goes.
 */
export function isDescriptiveKey(key: string | number, value: unknown): boolean {
  if (typeof key !== 'string') return false;
  if (DESCRIPTIVE_KEYS.includes(key)) return true;
  return key.endsWith('Description') && typeof value === 'string';
}

/**
 * Visits every string leaf that could name where data goes: strings inside
 * intrinsics included, descriptive text and tags ({@link isDescriptiveKey}) left out.
 */
export function visitDataStrings(
  value: unknown,
  visit: (text: string, path: readonly (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  walkDataStrings(value, (text, at) => visit(text, [...at]), [...path]);
}

/** {@link visitDataStrings} over one path that grows and shrinks: `at` is only valid during the call. */
function walkDataStrings(
  value: unknown,
  visit: (text: string, at: readonly (string | number)[]) => void,
  at: (string | number)[],
): void {
  if (typeof value === 'string') {
    // A JSON document written as text (a state machine definition, a dashboard) has prose keys too.
    const document = jsonText(value);
    if (document === undefined) visit(value, at);
    else walkDataStrings(document, visit, at);
  } else if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      at.push(index);
      walkDataStrings(value[index], visit, at);
      at.pop();
    }
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (isDescriptiveKey(key, item)) continue;
      at.push(key);
      walkDataStrings(item, visit, at);
      at.pop();
    }
  }
}

/** A data string ({@link visitDataStrings}) that names region codes. */
export interface RegionMention {
  /** Where the string sits below the value scanned. */
  readonly path: readonly (string | number)[];
  readonly text: string;
  /** The region codes it names, each once, in order of first occurrence. */
  readonly regions: readonly string[];
}

const MENTIONS = new WeakMap<object, readonly RegionMention[]>();
/** What every region code holds (regions.test.ts checks each): a hyphen before a digit. */
export const REGION_HINT = /-\d/;

/**
 * Every data string of a value that names a region code, with the codes, worked out once per value
 * (CLV-RES-2 and the audit's residency inventory read the same resource properties). Every region
 * code ends in a hyphen and a digit (`eu-west-1`): a string without one is not scanned.
 */
export function regionMentions(value: object): readonly RegionMention[] {
  let found = MENTIONS.get(value);
  if (!found) {
    const mentions: RegionMention[] = [];
    walkDataStrings(
      value,
      (text, at) => {
        if (!REGION_HINT.test(text)) return;
        const regions = new Set<string>();
        for (const match of text.matchAll(REGION_CODE_PATTERN)) regions.add(match[1]);
        if (regions.size) mentions.push({ path: [...at], text, regions: [...regions] });
      },
      [],
    );
    found = mentions;
    MENTIONS.set(value, found);
  }
  return found;
}

/**
 * Residency policy of one stack: which regions its resources may name.
 * An interim enclave (declared in the template's Clover::Enclave metadata)
 * may use its own region until its sunset.
 */
export class ResidencyPolicy {
  private readonly allowed: ReadonlySet<string>;
  public readonly interimRegion?: string;

  constructor(private readonly index: TemplateIndex) {
    const { allowJurisdictions, region, today } = index.context;
    this.allowed = new Set(allowedRegionCodes(allowJurisdictions));
    const interim = index.enclave?.interim;
    if (interim && region && !isPast(interim.sunset, today)) this.interimRegion = region;
  }

  /** True when a region code may be used by this stack. */
  public allows(region: string): boolean {
    return this.allowed.has(region) || region === this.interimRegion;
  }

  /** `us-east-1 (outside Europe (N. Virginia, US))`. */
  public describe(region: string): string {
    return `${region} (${describeRegion(region)})`;
  }

  public allowedList(): string {
    return [...this.allowed].join(', ');
  }

  /** Region codes named in a string (ARN, hostname, URL, AZ name) that this stack may not use. */
  public disallowedRegionsIn(text: string): string[] {
    const found = new Set<string>();
    for (const match of text.matchAll(REGION_CODE_PATTERN)) {
      if (!this.allows(match[1])) found.add(match[1]);
    }
    return [...found];
  }

  /** Whether the catalogue knows the region at all. */
  public isKnown(region: string): boolean {
    return findRegion(region) !== undefined;
  }

  public get stackRegion(): string | undefined {
    return this.index.context.region;
  }
}

const POLICIES = new WeakMap<TemplateIndex, ResidencyPolicy>();

/** The (cached) residency policy of a stack's index. */
export function residencyOf(index: TemplateIndex): ResidencyPolicy {
  let policy = POLICIES.get(index);
  if (!policy) {
    policy = new ResidencyPolicy(index);
    POLICIES.set(index, policy);
  }
  return policy;
}
