/**
 * Evaluates each simulation once per shape: enclaves built by the same code ask the simulator the same
 * questions about different names (`clover-enclave-001-…` in account 100000000001, `clover-enclave-002-…`
 * in account 100000000002). Two simulation cases share a shape when one becomes the other by renaming
 * identifier tokens — runs of letters and digits that hold a digit (account IDs, generated suffixes,
 * numbered names) — one for one, consistently across the request and every policy layer. IAM compares
 * such tokens only for equality (exact or ignoring case) and through wildcards, and a shape keeps both
 * equalities and each token's length and kind; so the decision of one case is the decision of every case
 * of its shape, and its reason, with the names translated back, is theirs.
 *
 * A region name standing whole between other characters than letters, digits and hyphens (`eu-west-1`
 * in an ARN, in `s3.eu-west-1.amazonaws.com` or as a value, not in `clover-eu-west-1-logs`) is one token
 * too, of any length: IAM compares region names only as strings, so enclaves in different regions share
 * their shapes, and those in the archive's region one of their own (the request and the policy then
 * name one region).
 *
 * What renaming could change is never renamed, but kept as written: actions, condition keys and
 * operators, the policy `Version`, service principals (but for their region names), the partition and
 * service of an ARN, values that a numeric, date, IP, binary, Bool or Null operator reads (and the
 * request's values of those keys), and strings with policy variables. A case whose wildcard could cut a
 * token (`*` or `?` next to a letter or digit of a renamed string, next to a hyphen in what could be part
 * of a region name, or any `?`) has no shape: it is simulated on its own. Pure but for its caches.
 */
import { allRegions } from '../../config/regions';
import type { PolicyLayer } from './layers';
import { POSITION_MARK, SimulationCase, SimulationOutcome } from './simulate';

/**
 * A run of letters and digits; one that holds a digit is what a shape renames. (Not one expression for
 * "a run with a digit": `[A-Za-z0-9]*[0-9][A-Za-z0-9]*` retries from every letter of a run without a digit,
 * quadratic in its length — minutes for a 1 MB string of letters.)
 */
const ALPHANUMERIC = /[A-Za-z0-9]+/g;
const DIGIT = /[0-9]/;

/** The runs of letters and digits of a text that hold a digit, in order. */
function digitRuns(text: string): RegExpMatchArray[] {
  const runs: RegExpMatchArray[] = [];
  for (const match of text.matchAll(ALPHANUMERIC)) if (DIGIT.test(match[0])) runs.push(match);
  return runs;
}
/** A run of letters, digits and hyphens: a region name is a token when it is a whole run. */
const RUN = /[A-Za-z0-9-]+/g;
/** Region codes of every partition (`eu-west-1`, `eusc-de-east-1`). */
const REGION_LIST: readonly string[] = allRegions().map((region) => region.code);
const REGIONS: ReadonlySet<string> = new Set(REGION_LIST);
/** A wildcard that could match part of a token, or any single-character wildcard. */
const CUTTING_WILDCARD = /[A-Za-z0-9][*?]|[*?][A-Za-z0-9]|\?/;
/** A wildcard next to a hyphen, and the runs of letters, digits and hyphens on either side of it. */
const HYPHEN_WILDCARD = /([A-Za-z0-9-]*)\*([A-Za-z0-9-]*)/g;

/** One token of a text: where it starts, and whether it is a region name. */
interface TokenMatch {
  readonly token: string;
  readonly index: number;
  readonly region: boolean;
}

/**
 * The tokens of a text: each run of letters and digits that holds a digit, except that a run of letters,
 * digits and hyphens that is a whole region name (`eu-west-1` in an ARN or `s3.eu-west-1.amazonaws.com`,
 * not in `clover-eu-west-1-logs`) is one token. IAM reads region names only as strings, compared whole or
 * through wildcards, so enclaves in different regions share their shapes.
 */
function tokenMatches(text: string): TokenMatch[] {
  const matches: TokenMatch[] = [];
  for (const run of text.matchAll(RUN)) {
    const start = run.index!;
    // In any case: an ignore-case comparison must see `EU-WEST-1` as the token `eu-west-1` is.
    if (REGIONS.has(run[0].toLowerCase())) {
      matches.push({ token: run[0], index: start, region: true });
      continue;
    }
    for (const match of digitRuns(run[0]))
      matches.push({ token: match[0], index: start + match.index!, region: false });
  }
  return matches;
}

/**
 * Whether a wildcard could match part of a token: next to a letter or digit (part of an identifier
 * token), any `?`, or next to a hyphen in a run that could be part of a region name (`eu-*`, `*-1`).
 */
function cuts(text: string): boolean {
  if (!text.includes('*') && !text.includes('?')) return false;
  if (CUTTING_WILDCARD.test(text)) return true;
  for (const [, before, after] of text.matchAll(HYPHEN_WILDCARD)) {
    for (const run of [before, after])
      if (run && REGION_LIST.some((region) => region.includes(run.toLowerCase()))) return true;
  }
  return false;
}

/** Operators whose values are not compared as strings. */
const TYPED_OPERATOR =
  /^(ForAllValues:|ForAnyValue:)?(Numeric|Date|IpAddress|NotIpAddress|Binary|Bool|Null)/i;
/** Placeholder of a renamed token in a shape (never in policy text: a control character). */
const MARK = '\u0001';

/** One part of a case (a policy layer, or the request) in shape form. */
interface PartShape {
  /**
   * The part with renamed tokens as `MARK<local index>/<length><kind>` (`/r` for a region name) and
   * everything else as written;
   * for a policy layer, a short stand-in for that text (`#<id>`, one id per distinct text).
   */
  readonly text: string;
  /** The part's distinct tokens (renamed or kept), in order of first occurrence. */
  readonly tokens: readonly string[];
  /** The tokens in lower case, when worked out once for the part (a layer's). */
  readonly folded?: readonly string[];
  /** False when a wildcard could cut a token: no case with this part is shared. */
  readonly shareable: boolean;
  /** Condition keys this part reads with a typed operator. */
  readonly typedKeys: ReadonlySet<string>;
}

/**
 * How a string splits into tokens, worked out once per distinct string: the same ARNs, names and values
 * recur in thousands of cases of a large assembly. Bounded, so a long-running process does not grow
 * without end.
 */
const SPLIT_CACHE_LIMIT = 200_000;
const keptSplits = new Map<string, { readonly tokens: readonly string[]; readonly quoted: string }>();
const renamedSplits = new Map<
  string,
  {
    readonly headTokens: readonly string[];
    readonly cutting: boolean;
    readonly tokens: readonly string[];
    /** The renamed text as a JSON string in pieces (quotedPieces); marks and local indexes go between. */
    readonly opening: string;
    readonly closings: readonly string[];
  }
>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= SPLIT_CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function splitOf(text: string): { readonly tokens: readonly string[]; readonly quoted: string } {
  return (
    keptSplits.get(text) ??
    remember(keptSplits, text, {
      tokens: tokenMatches(text).map((match) => match.token),
      quoted: JSON.stringify(text),
    })
  );
}

/**
 * A text's JSON string in pieces around the tokens it renames: `opening`, then per token its closing
 * (`/<length><kind>`, `/r` for a region name, and the text up to the next token; the closing quote after
 * the last). JSON.stringify escapes character by character, and tokens (ASCII) never split a surrogate
 * pair, so the quoted pieces joined are the quoted whole.
 */
function quotedPieces(head: string, text: string, renamed: readonly TokenMatch[]) {
  const inner = (piece: string) => JSON.stringify(piece).slice(1, -1);
  const literals: string[] = [];
  let last = 0;
  for (const { token, index } of renamed) {
    literals.push(text.slice(last, index));
    last = index + token.length;
  }
  literals.push(text.slice(last));
  // A region name of any length: only a `?` (never shared) could tell lengths apart.
  const closings = renamed.map(
    ({ token, region }, position) =>
      `/${region ? 'r' : `${token.length}${/^[0-9]+$/.test(token) ? 'd' : 'a'}`}${inner(literals[position + 1])}`,
  );
  const opening = `"${inner(head + literals[0])}`;
  if (closings.length) closings[closings.length - 1] += '"';
  return { opening: closings.length ? opening : `${opening}"`, closings };
}

function renamingOf(text: string) {
  const known = renamedSplits.get(text);
  if (known) return known;
  const arn = /^arn:[^:]*:[^:]*:/.exec(text);
  const head = arn ? arn[0] : '';
  const rest = text.slice(head.length);
  const matches = tokenMatches(rest);
  return remember(renamedSplits, text, {
    headTokens: digitRuns(head).map((match) => match[0]),
    cutting: cuts(rest),
    tokens: matches.map((match) => match.token),
    ...quotedPieces(head, rest, matches),
  });
}

const regionSplits = new Map<
  string,
  | {
      readonly kept: readonly string[];
      readonly regions: readonly string[];
      readonly cutting: boolean;
      readonly opening: string;
      readonly closings: readonly string[];
    }
  | undefined
>();

/** A kept string split at its region names, or undefined when it names none (it is kept whole). */
function regionsOf(text: string) {
  if (regionSplits.has(text)) return regionSplits.get(text);
  const matches = tokenMatches(text);
  const regions = matches.filter((match) => match.region);
  if (regions.length === 0) return remember(regionSplits, text, undefined);
  return remember(regionSplits, text, {
    kept: matches.filter((match) => !match.region).map((match) => match.token),
    regions: regions.map((match) => match.token),
    cutting: cuts(text),
    ...quotedPieces('', text, regions),
  });
}

/** MARK as JSON.stringify writes it inside a string. */
const QUOTED_MARK = JSON.stringify(MARK).slice(1, -1);

class ShapeBuilder {
  private readonly pieces: Array<string | number> = [];
  private readonly local = new Map<string, number>();
  public readonly tokens: string[] = [];
  public shareable = true;
  /** Condition keys read with a typed operator; made for the policies that have any. */
  private typed?: Set<string>;

  public addTypedKey(key: string): void {
    (this.typed ??= new Set()).add(key);
  }

  /** Registers a token (for the equalities across parts) and returns its local index. */
  private index(token: string): number {
    let position = this.local.get(token);
    if (position === undefined) {
      position = this.tokens.length;
      this.local.set(token, position);
      this.tokens.push(token);
    }
    return position;
  }

  /** A string kept as written; its tokens still take part in the equalities. */
  public keep(text: string): void {
    const split = splitOf(text);
    for (const token of split.tokens) this.index(token);
    this.pieces.push(split.quoted);
  }

  /** A string whose tokens are renamed, but the partition and service of an ARN. */
  public rename(text: string): void {
    if (text.includes('${')) return this.keep(text);
    const split = renamingOf(text);
    this.renamed(split, split.headTokens, split.tokens);
  }

  /**
   * A split string: its kept tokens take part in the equalities; the text between renamed tokens is
   * written as is, each renamed token as its local index, length and kind.
   */
  private renamed(
    split: { readonly cutting: boolean; readonly opening: string; readonly closings: readonly string[] },
    kept: readonly string[],
    renamed: readonly string[],
  ): void {
    if (split.cutting) this.shareable = false;
    for (const token of kept) this.index(token);
    this.pieces.push(split.opening);
    for (let position = 0; position < renamed.length; position++)
      this.pieces.push(QUOTED_MARK, this.index(renamed[position]), split.closings[position]);
  }

  /**
   * A service or federated principal kept as written but for its region names, renamed as tokens
   * (`logs.eu-west-1.amazonaws.com`); its other tokens take part in the equalities.
   */
  public keepButRegions(text: string): void {
    const split = text.includes('${') ? undefined : regionsOf(text);
    if (!split) return this.keep(text);
    this.renamed(split, split.kept, split.regions);
  }

  public literal(text: string): void {
    this.pieces.push(text);
  }

  public shape(): PartShape {
    return {
      text: this.pieces.join(''),
      tokens: this.tokens,
      shareable: this.shareable,
      typedKeys: this.typed ?? NO_TYPED_KEYS,
    };
  }
}

/**
 * How a policy's strings enter its shape: renamed; kept as written (actions, typed values, the version);
 * or, for service and federated principals, kept but for their region names (`logs.eu-west-1.amazonaws.com`).
 */
type WalkMode = 'rename' | 'keep' | 'principal';

/** Walks a policy document, keeping what renaming could change and renaming the rest. */
function walkPolicy(value: unknown, builder: ShapeBuilder, mode: WalkMode, parentKey?: string): void {
  if (typeof value === 'string') {
    if (mode === 'keep') builder.keep(value);
    else if (mode === 'principal') builder.keepButRegions(value);
    else builder.rename(value);
  } else if (Array.isArray(value)) {
    builder.literal('[');
    for (let position = 0; position < value.length; position++) {
      if (position > 0) builder.literal(',');
      walkPolicy(value[position], builder, mode, parentKey);
    }
    builder.literal(']');
  } else if (value !== null && typeof value === 'object') {
    builder.literal('{');
    let first = true;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (!first) builder.literal(',');
      first = false;
      builder.keep(key);
      builder.literal(':');
      const typed = parentKey === 'Condition' && TYPED_OPERATOR.test(key);
      if (typed && item !== null && typeof item === 'object')
        for (const conditionKey of Object.keys(item)) builder.addTypedKey(conditionKey.toLowerCase());
      const child: WalkMode =
        mode === 'keep' || typed || key === 'Version' || key === 'Action' || key === 'NotAction'
          ? 'keep'
          : mode === 'principal' || key === 'Service' || key === 'Federated'
            ? 'principal'
            : 'rename';
      walkPolicy(item, builder, child, key);
    }
    builder.literal('}');
  } else {
    // Numbers, booleans and null are kept: no identifier lives there.
    builder.literal(JSON.stringify(value) ?? 'null');
  }
}

/**
 * One id per distinct layer text, so that case keys hold `#<id>` instead of whole policies (several KB,
 * in every one of tens of thousands of cases). Ids are never reused: when the bounded table is cleared,
 * a text seen again gets a new id, which costs a simulation, never a wrong answer.
 */
const layerIds = new Map<string, number>();
let nextLayerId = 0;

function layerId(text: string): number {
  let id = layerIds.get(text);
  if (id === undefined) remember(layerIds, text, (id = nextLayerId++));
  return id;
}

function layerShape(layer: PolicyLayer, caches: ShapeCaches): PartShape {
  let shape = caches.layers.get(layer);
  if (!shape) {
    const builder = new ShapeBuilder();
    builder.literal(`${layer.kind}:`);
    builder.rename(layer.label);
    builder.literal('=');
    walkPolicy(layer.document, builder, 'rename');
    const built = builder.shape();
    shape = {
      ...built,
      text: `#${layerId(built.text)}`,
      folded: built.tokens.map((token) => token.toLowerCase()),
    };
    caches.layers.set(layer, shape);
  }
  return shape;
}

/** The request's own part: principal, action, resource and its account. */
function requestShape(input: SimulationCase): PartShape {
  const builder = new ShapeBuilder();
  if (input.principal.startsWith('arn:')) builder.rename(input.principal);
  else builder.keepButRegions(input.principal);
  builder.keep(input.action);
  builder.rename(input.resource);
  builder.rename(input.resourceAccount);
  return builder.shape();
}

/**
 * The request's context as a part, given the typed keys of its layers. Worked out once for a run of
 * cases with the same context object and typed keys: the judge hands the requests of one flow that
 * differ only in action and resource (a probe's) one context object, one after the other (judge.ts).
 */
function contextShape(
  context: SimulationCase['context'],
  typedKeys: ReadonlySet<string>,
  caches: ShapeCaches,
): PartShape {
  const last = caches.lastContext;
  if (last?.context === context && last.typedKeys === typedKeys) return last.shape;
  const shape = buildContextShape(context, typedKeys);
  caches.lastContext = { context, typedKeys, shape };
  return shape;
}

/** The part of a context that a principal's requests share: kept per object, as it recurs across flows. */
function sharedContextShape(
  context: SimulationCase['context'],
  typedKeys: ReadonlySet<string>,
  caches: ShapeCaches,
): PartShape {
  let byTypedKeys = caches.sharedContexts.get(context);
  if (!byTypedKeys) caches.sharedContexts.set(context, (byTypedKeys = new Map()));
  let shape = byTypedKeys.get(typedKeys);
  if (!shape) byTypedKeys.set(typedKeys, (shape = buildContextShape(context, typedKeys)));
  return shape;
}

function buildContextShape(context: SimulationCase['context'], typedKeys: ReadonlySet<string>): PartShape {
  const builder = new ShapeBuilder();
  for (const key of Object.keys(context).sort()) {
    builder.keep(key);
    const value = context[key];
    const values = typeof value === 'string' ? [value] : value;
    builder.literal(`${values.length}:`);
    for (const item of values) {
      if (typedKeys.has(key.toLowerCase())) builder.keep(item);
      else builder.rename(item);
    }
  }
  return builder.shape();
}

/**
 * The layers of a case together: their shapes in order, with the equalities among their tokens. Worked
 * out once per tuple of layer objects: a tuple recurs in every request of a resource's probes and of a
 * role's flows, and its layers hold most of a case's tokens (a bucket policy names dozens of ARNs).
 */
interface TupleShape {
  /** The layers' texts and links, and the counts that place them in the case. */
  readonly key: string;
  /** The layers' distinct tokens in joint order, exact and lower-cased, by their joint index. */
  readonly tokens: readonly string[];
  readonly exact: ReadonlyMap<string, number>;
  readonly folded: ReadonlyMap<string, number>;
  /** Condition keys the layers read with a typed operator. */
  readonly typedKeys: ReadonlySet<string>;
}

const NO_TYPED_KEYS: ReadonlySet<string> = new Set();
const NO_LAYER: PartShape = { text: '-', tokens: [], shareable: true, typedKeys: NO_TYPED_KEYS };

/**
 * What a memo works out once per object: each layer's shape and number, each tuple of layers, each
 * context's part. Plain maps that live as long as their memo (one proof): weak maps would cost the
 * garbage collector more than they save on tens of thousands of entries.
 */
export class ShapeCaches {
  public readonly layers = new Map<PolicyLayer, PartShape>();
  /** A number per layer object, to name a tuple of layers. */
  public readonly numbers = new Map<PolicyLayer, string>();
  /** Tuples of layers by their numbers; null when a layer cannot be shared. */
  public readonly tuples = new Map<string, TupleShape | null>();
  /**
   * The last context's part, and the last tuple and context together: the requests of one flow come one
   * after the other with the same objects, and keeping every context's would hold tens of thousands.
   */
  public lastContext?: {
    readonly context: object;
    readonly typedKeys: ReadonlySet<string>;
    readonly shape: PartShape;
  };
  public lastJoint?: {
    readonly tuple: TupleShape;
    readonly shared: PartShape | undefined;
    readonly context: PartShape;
    readonly joint: JointShape;
  };
  /** The parts of the contexts a principal shares across its requests (SimulationCase.contextParts). */
  public readonly sharedContexts = new Map<object, Map<ReadonlySet<string>, PartShape>>();
  /** The last case's layers (the arrays and layer objects themselves) and their tuple. */
  public lastTuple?: ReturnType<typeof pick> & { readonly tuple: TupleShape | null };
  /** Short ids of long texts (a tuple's key, a context's text), for case keys. */
  private readonly ids = new Map<string, string>();

  /**
   * @param shortIds name long texts in keys by ids, which only keys of the same caches can compare
   * (a memo's); without, keys hold the texts and compare across caches
   */
  constructor(private readonly shortIds = true) {}

  public idOf(text: string): string {
    if (!this.shortIds) return text;
    let id = this.ids.get(text);
    if (id === undefined) this.ids.set(text, (id = `#${this.ids.size}`));
    return id;
  }

  public numberOf(layer: PolicyLayer | undefined): string {
    if (!layer) return '-';
    let number = this.numbers.get(layer);
    if (number === undefined) this.numbers.set(layer, (number = String(this.numbers.size)));
    return number;
  }
}

function tupleShape(input: SimulationCase, caches: ShapeCaches): TupleShape | null {
  // The requests of one flow, and of one principal, hand over the same arrays and layers one after the other.
  const last = caches.lastTuple;
  if (
    last &&
    last.identity === input.identity &&
    last.boundary === input.boundary &&
    last.resourcePolicy === input.resourcePolicy &&
    last.endpoint === input.endpoint &&
    last.scps === input.scps
  )
    return last.tuple;
  const tuple = namedTupleShape(input, caches);
  caches.lastTuple = { ...pick(input), tuple };
  return tuple;
}

function pick(input: SimulationCase) {
  const { identity, boundary, resourcePolicy, endpoint, scps } = input;
  return { identity, boundary, resourcePolicy, endpoint, scps };
}

function namedTupleShape(input: SimulationCase, caches: ShapeCaches): TupleShape | null {
  const layers: Array<PolicyLayer | undefined> = [
    ...input.identity,
    input.boundary,
    input.resourcePolicy,
    input.endpoint,
    ...input.scps,
  ];
  const name = `${input.identity.length}|${input.scps.length}|${layers.map((layer) => caches.numberOf(layer)).join(',')}`;
  const known = caches.tuples.get(name);
  if (known !== undefined) return known;
  const linker = new Linker([], 0, 0);
  const typedKeys = new Set<string>();
  const pieces: string[] = [`${input.identity.length}|${input.scps.length}`];
  for (const layer of layers) {
    const part = layer ? layerShape(layer, caches) : NO_LAYER;
    if (!part.shareable) {
      caches.tuples.set(name, null);
      return null;
    }
    for (const key of part.typedKeys) typedKeys.add(key);
    pieces.push(part.text, linker.links(part.tokens, part.folded));
  }
  const tuple: TupleShape = {
    key: pieces.join('\u0002'),
    tokens: linker.own,
    exact: linker.exact,
    folded: linker.folded,
    // One set for every tuple without typed keys, so that their cases share the shapes of their contexts.
    typedKeys: typedKeys.size ? typedKeys : NO_TYPED_KEYS,
  };
  caches.tuples.set(name, tuple);
  return tuple;
}

/** A case's tokens in joint order: its layers' tokens, then its context's new ones, then its request's. */
export interface CaseTokens {
  readonly layers: readonly string[];
  readonly context: readonly string[];
  readonly request: readonly string[];
}

function tokenAt(tokens: CaseTokens, position: number): string {
  const { layers, context } = tokens;
  if (position < layers.length) return layers[position];
  position -= layers.length;
  return position < context.length ? context[position] : tokens.request[position - context.length];
}

/**
 * A tuple of layers and a context together: worked out once for a run of cases with the same pair (the
 * requests of a probe). Its key names the tuple's and the context's texts by short ids, so that case
 * keys stay short.
 */
interface JointShape {
  readonly key: string;
  /** The context's tokens the layers do not hold, in joint order after the layers' own. */
  readonly tokens: readonly string[];
  readonly exact: ReadonlyMap<string, number>;
  readonly folded: ReadonlyMap<string, number>;
}

/** Links a token to its joint index: in `known` tables first, then in the part's own (new tokens join them). */
class Linker {
  public readonly own: string[] = [];
  public readonly exact = new Map<string, number>();
  public readonly folded = new Map<string, number>();

  constructor(
    private readonly known: readonly {
      readonly exact: ReadonlyMap<string, number>;
      readonly folded: ReadonlyMap<string, number>;
    }[],
    private readonly base: number,
    private readonly foldedBase: number,
  ) {}

  /** The links of `tokens`, in order; `lowered` holds them in lower case when worked out once (a layer's). */
  public links(tokens: readonly string[], lowered?: readonly string[]): string {
    let links = '';
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index];
      let position: number | undefined;
      for (let i = 0; position === undefined && i < this.known.length; i++)
        position = this.known[i].exact.get(token);
      if (position === undefined) position = this.exact.get(token);
      if (position === undefined) {
        position = this.base + this.own.length;
        this.exact.set(token, position);
        this.own.push(token);
      }
      const lower = lowered ? lowered[index] : token.toLowerCase();
      let caseless: number | undefined;
      for (let i = 0; caseless === undefined && i < this.known.length; i++)
        caseless = this.known[i].folded.get(lower);
      if (caseless === undefined) caseless = this.folded.get(lower);
      if (caseless === undefined) this.folded.set(lower, (caseless = this.foldedBase + this.folded.size));
      links += `${index ? ',' : ''}${position}.${caseless}`;
    }
    return links;
  }
}

function jointShape(
  tuple: TupleShape,
  shared: PartShape | undefined,
  context: PartShape,
  caches: ShapeCaches,
): JointShape {
  const last = caches.lastJoint;
  if (last?.tuple === tuple && last.shared === shared && last.context === context) return last.joint;
  const linker = new Linker([tuple], tuple.tokens.length, tuple.folded.size);
  // Two parts (the principal's keys, the request's own) or one: the key tells them apart.
  const texts = shared
    ? `${caches.idOf(shared.text)}\u0003${caches.idOf(context.text)}`
    : caches.idOf(context.text);
  const links = shared
    ? `${linker.links(shared.tokens)}|${linker.links(context.tokens)}`
    : linker.links(context.tokens);
  const joint: JointShape = {
    key: `${caches.idOf(tuple.key)}\u0002${texts}\u0002${links}`,
    tokens: linker.own,
    exact: linker.exact,
    folded: linker.folded,
  };
  caches.lastJoint = { tuple, shared, context, joint };
  return joint;
}

/** The shape of a case and its tokens in joint order, or undefined when it cannot be shared. */
export function caseShape(
  input: SimulationCase,
  caches: ShapeCaches = new ShapeCaches(false),
): { key: string; tokens: CaseTokens } | undefined {
  const tuple = tupleShape(input, caches);
  if (!tuple) return undefined;
  const parts = input.contextParts;
  const shared = parts ? sharedContextShape(parts[0], tuple.typedKeys, caches) : undefined;
  const context = contextShape(parts ? parts[1] : input.context, tuple.typedKeys, caches);
  const request = requestShape(input);
  if (!request.shareable || !context.shareable || shared?.shareable === false) return undefined;
  const joint = jointShape(tuple, shared, context, caches);
  // The request's tokens join the layers' and the context's equalities; its new ones are kept here.
  const linker = new Linker(
    [tuple, joint],
    tuple.tokens.length + joint.tokens.length,
    tuple.folded.size + joint.folded.size,
  );
  const links = linker.links(request.tokens);
  return {
    key: `${joint.key}\u0002${request.text}\u0002${links}`,
    tokens: { layers: tuple.tokens, context: joint.tokens, request: linker.own },
  };
}

/**
 * A reason split at its tokens, each token as its position among the simulated case's tokens (or -1
 * when the case has no such token): worked out once per shape, it is told in the names of every other
 * case of the shape by picking their tokens at those positions.
 */
interface Translation {
  readonly literals: readonly string[];
  readonly tokens: readonly string[];
  readonly positions: readonly number[];
}

function translationOf(reason: string, from: CaseTokens): Translation {
  const index = new Map<string, number>();
  [...from.layers, ...from.context, ...from.request].forEach((token, position) => index.set(token, position));
  const literals: string[] = [];
  const tokens: string[] = [];
  const positions: number[] = [];
  let last = 0;
  for (const { token, index: start } of tokenMatches(reason)) {
    // A statement's position is the simulator's count, not a name of the case: told as written.
    if (reason[start - 1] === POSITION_MARK) continue;
    literals.push(reason.slice(last, start));
    tokens.push(token);
    positions.push(index.get(token) ?? -1);
    last = start + token.length;
  }
  literals.push(reason.slice(last));
  return { literals, tokens, positions };
}

/** A reason of one case told in the names of another of the same shape (`to`, in joint order). */
function translate(translation: Translation, to: CaseTokens): string {
  const { literals, tokens, positions } = translation;
  let text = literals[0];
  for (let i = 0; i < tokens.length; i++)
    text += (positions[i] < 0 ? tokens[i] : tokenAt(to, positions[i])) + literals[i + 1];
  return text;
}

/** Memoises a simulator by case shape; counts how many cases it saved. */
export class ShapeMemo {
  private readonly outcomes = new Map<
    string,
    {
      readonly outcome: Promise<SimulationOutcome>;
      /** The outcome once the simulator gave it: later cases of the shape are answered at once. */
      settled?: SimulationOutcome;
      readonly tokens: CaseTokens;
      translation?: Translation;
    }
  >();
  private readonly caches = new ShapeCaches();
  /** Cases evaluated, and cases answered by the simulator. */
  public cases = 0;
  public simulated = 0;

  constructor(private readonly simulate: (input: SimulationCase) => Promise<SimulationOutcome>) {}

  public evaluate(input: SimulationCase): SimulationOutcome | Promise<SimulationOutcome> {
    this.cases++;
    const shape = caseShape(input, this.caches);
    if (!shape) {
      this.simulated++;
      return this.simulate(input);
    }
    const known = this.outcomes.get(shape.key);
    if (!known) {
      this.simulated++;
      const outcome = this.simulate(input);
      const entry: { outcome: Promise<SimulationOutcome>; settled?: SimulationOutcome; tokens: CaseTokens } =
        {
          outcome,
          tokens: shape.tokens,
        };
      this.outcomes.set(shape.key, entry);
      outcome.then(
        (settled) => (entry.settled = settled),
        () => undefined,
      );
      return outcome;
    }
    if (known.settled) return told(known, known.settled, shape.tokens);
    return known.outcome.then((settled) => told(known, settled, shape.tokens));
  }
}

/** An outcome told in the names of a case of its shape; the shape's translation is worked out once. */
function told(
  known: { readonly tokens: CaseTokens; translation?: Translation },
  outcome: SimulationOutcome,
  tokens: CaseTokens,
): TranslatedOutcome {
  known.translation ??= translationOf(outcome.reason, known.tokens);
  return new TranslatedOutcome(outcome.decision, known.translation, tokens);
}

/**
 * The outcome of a case answered by another case of its shape. Its reason is told in this case's names
 * when first read: most reasons are never read (a flow that holds reports none), and tens of thousands
 * of them would otherwise be built and kept.
 */
class TranslatedOutcome implements SimulationOutcome {
  private told?: string;

  constructor(
    public readonly decision: SimulationOutcome['decision'],
    private readonly translation: Translation,
    private readonly tokens: CaseTokens,
  ) {}

  public get reason(): string {
    return (this.told ??= translate(this.translation, this.tokens));
  }
}
