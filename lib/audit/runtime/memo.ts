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
 * What renaming could change is never renamed, but kept as written: actions, condition keys and
 * operators, the policy `Version`, service principals, the partition and service of an ARN, values that
 * a numeric, date, IP, binary, Bool or Null operator reads (and the request's values of those keys), and
 * strings with policy variables. A case whose wildcard could cut a token (`*` or `?` next to a letter or
 * digit of a renamed string, or any `?`) has no shape: it is simulated on its own. Pure but for its cache.
 */
import type { PolicyLayer } from './layers';
import type { SimulationCase, SimulationOutcome } from './simulate';

/** A run of letters and digits that holds a digit: what a shape renames. */
const TOKEN = /[A-Za-z0-9]*[0-9][A-Za-z0-9]*/g;
/** A wildcard that could match part of a token, or any single-character wildcard. */
const CUTTING_WILDCARD = /[A-Za-z0-9][*?]|[*?][A-Za-z0-9]|\?/;
/** Operators whose values are not compared as strings. */
const TYPED_OPERATOR =
  /^(ForAllValues:|ForAnyValue:)?(Numeric|Date|IpAddress|NotIpAddress|Binary|Bool|Null)/i;
/** Placeholder of a renamed token in a shape (never in policy text: a control character). */
const MARK = '\u0001';

/** One part of a case (a policy layer, or the request) in shape form. */
interface PartShape {
  /**
   * The part with renamed tokens as `MARK<local index>/<length><kind>` and everything else as written;
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
    readonly head: string;
    readonly headTokens: readonly string[];
    readonly cutting: boolean;
    readonly tokens: readonly string[];
    /**
     * The renamed text as a JSON string, in pieces: `opening`, then per token its mark and local index
     * (which depend on the case) followed by its closing piece (`/<length><kind>` and the text up to the
     * next token, the closing quote after the last).
     */
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
    remember(keptSplits, text, { tokens: text.match(TOKEN) ?? [], quoted: JSON.stringify(text) })
  );
}

function renamingOf(text: string) {
  const known = renamedSplits.get(text);
  if (known) return known;
  const arn = /^arn:[^:]*:[^:]*:/.exec(text);
  const head = arn ? arn[0] : '';
  const rest = text.slice(head.length);
  const tokens: string[] = [];
  const kinds: string[] = [];
  const literals: string[] = [];
  let last = 0;
  for (const match of rest.matchAll(TOKEN)) {
    const token = match[0];
    if (token.length === 0) continue;
    literals.push(rest.slice(last, match.index));
    tokens.push(token);
    kinds.push(`${token.length}${/^[0-9]+$/.test(token) ? 'd' : 'a'}`);
    last = match.index! + token.length;
  }
  literals.push(rest.slice(last));
  // The JSON string of the renamed text in pieces: JSON.stringify escapes character by character, and
  // tokens (ASCII) never split a surrogate pair, so the quoted pieces joined are the quoted whole.
  const inner = (piece: string) => JSON.stringify(piece).slice(1, -1);
  const opening = `"${inner(head + literals[0])}`;
  const closings = kinds.map((kind, position) => `/${kind}${inner(literals[position + 1])}`);
  if (closings.length) closings[closings.length - 1] += '"';
  return remember(renamedSplits, text, {
    head,
    headTokens: head.match(TOKEN) ?? [],
    cutting: CUTTING_WILDCARD.test(rest),
    tokens,
    opening: closings.length ? opening : `${opening}"`,
    closings,
  });
}

/** MARK as JSON.stringify writes it inside a string. */
const QUOTED_MARK = JSON.stringify(MARK).slice(1, -1);

class ShapeBuilder {
  private readonly pieces: Array<string | number> = [];
  private readonly local = new Map<string, number>();
  public readonly tokens: string[] = [];
  public shareable = true;
  public readonly typedKeys = new Set<string>();

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
    if (split.cutting) this.shareable = false;
    for (const token of split.headTokens) this.index(token);
    // The text between tokens, each renamed token as its local index, length and kind.
    this.pieces.push(split.opening);
    const { tokens, closings } = split;
    for (let position = 0; position < tokens.length; position++)
      this.pieces.push(QUOTED_MARK, this.index(tokens[position]), closings[position]);
  }

  public literal(text: string): void {
    this.pieces.push(text);
  }

  public shape(): PartShape {
    return {
      text: this.pieces.join(''),
      tokens: this.tokens,
      shareable: this.shareable,
      typedKeys: this.typedKeys,
    };
  }
}

/** Walks a policy document, keeping what renaming could change and renaming the rest. */
function walkPolicy(value: unknown, builder: ShapeBuilder, keep: boolean, parentKey?: string): void {
  if (typeof value === 'string') {
    if (keep) builder.keep(value);
    else builder.rename(value);
  } else if (Array.isArray(value)) {
    builder.literal('[');
    value.forEach((item, position) => {
      if (position > 0) builder.literal(',');
      walkPolicy(item, builder, keep, parentKey);
    });
    builder.literal(']');
  } else if (value !== null && typeof value === 'object') {
    builder.literal('{');
    Object.entries(value as Record<string, unknown>).forEach(([key, item], position) => {
      if (position > 0) builder.literal(',');
      builder.keep(key);
      builder.literal(':');
      const typed = parentKey === 'Condition' && TYPED_OPERATOR.test(key);
      if (typed && item !== null && typeof item === 'object')
        for (const conditionKey of Object.keys(item)) builder.typedKeys.add(conditionKey.toLowerCase());
      const keepChild =
        keep ||
        typed ||
        key === 'Version' ||
        key === 'Action' ||
        key === 'NotAction' ||
        key === 'Service' ||
        key === 'Federated';
      walkPolicy(item, builder, keepChild, key);
    });
    builder.literal('}');
  } else {
    // Numbers, booleans and null are kept: no identifier lives there.
    builder.literal(JSON.stringify(value) ?? 'null');
  }
}

const layerShapes = new WeakMap<PolicyLayer, PartShape>();

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

function layerShape(layer: PolicyLayer): PartShape {
  let shape = layerShapes.get(layer);
  if (!shape) {
    const builder = new ShapeBuilder();
    builder.literal(`${layer.kind}:`);
    builder.rename(layer.label);
    builder.literal('=');
    walkPolicy(layer.document, builder, false);
    const built = builder.shape();
    shape = {
      ...built,
      text: `#${layerId(built.text)}`,
      folded: built.tokens.map((token) => token.toLowerCase()),
    };
    layerShapes.set(layer, shape);
  }
  return shape;
}

/** The request's own part: principal, action, resource, its account and context, given the typed keys. */
function requestShape(input: SimulationCase, typedKeys: ReadonlySet<string>): PartShape {
  const builder = new ShapeBuilder();
  if (input.principal.startsWith('arn:')) builder.rename(input.principal);
  else builder.keep(input.principal);
  builder.keep(input.action);
  builder.rename(input.resource);
  builder.rename(input.resourceAccount);
  for (const key of Object.keys(input.context).sort()) {
    builder.keep(key);
    const value = input.context[key];
    const values = typeof value === 'string' ? [value] : value;
    builder.literal(`${values.length}:`);
    for (const item of values) {
      if (typedKeys.has(key.toLowerCase())) builder.keep(item);
      else builder.rename(item);
    }
  }
  return builder.shape();
}

/** The shape of a case and its tokens in joint order, or undefined when it cannot be shared. */
export function caseShape(input: SimulationCase): { key: string; tokens: string[] } | undefined {
  const layers: Array<PolicyLayer | undefined> = [
    ...input.identity,
    input.boundary,
    input.resourcePolicy,
    input.endpoint,
    ...input.scps,
  ];
  const parts: PartShape[] = [];
  const typedKeys = new Set<string>();
  for (const layer of layers) {
    if (!layer) {
      parts.push({ text: '-', tokens: [], shareable: true, typedKeys: new Set() });
      continue;
    }
    const shape = layerShape(layer);
    if (!shape.shareable) return undefined;
    for (const key of shape.typedKeys) typedKeys.add(key);
    parts.push(shape);
  }
  const request = requestShape(input, typedKeys);
  if (!request.shareable) return undefined;
  parts.unshift(request);
  // The equalities across parts: each part's tokens by their joint index, exact and ignoring case.
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  const tokens: string[] = [];
  const pieces: string[] = [`${input.identity.length}|${input.scps.length}`];
  for (const part of parts) {
    const links: string[] = [];
    const lowered = part.folded;
    for (let index = 0; index < part.tokens.length; index++) {
      const token = part.tokens[index];
      let position = exact.get(token);
      if (position === undefined) {
        position = tokens.length;
        exact.set(token, position);
        tokens.push(token);
      }
      const lower = lowered ? lowered[index] : token.toLowerCase();
      let caseless = folded.get(lower);
      if (caseless === undefined) folded.set(lower, (caseless = folded.size));
      links.push(`${position}.${caseless}`);
    }
    pieces.push(part.text, links.join(','));
  }
  return { key: pieces.join('\u0002'), tokens };
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

function translationOf(reason: string, from: readonly string[]): Translation {
  const index = new Map<string, number>();
  from.forEach((token, position) => index.set(token, position));
  const literals: string[] = [];
  const tokens: string[] = [];
  const positions: number[] = [];
  let last = 0;
  for (const match of reason.matchAll(TOKEN)) {
    literals.push(reason.slice(last, match.index));
    tokens.push(match[0]);
    positions.push(index.get(match[0]) ?? -1);
    last = match.index! + match[0].length;
  }
  literals.push(reason.slice(last));
  return { literals, tokens, positions };
}

/** A reason of one case told in the names of another of the same shape (`to`, in joint order). */
function translate(translation: Translation, to: readonly string[]): string {
  const { literals, tokens, positions } = translation;
  let text = literals[0];
  for (let i = 0; i < tokens.length; i++)
    text += (positions[i] < 0 ? tokens[i] : to[positions[i]]) + literals[i + 1];
  return text;
}

/** Memoises a simulator by case shape; counts how many cases it saved. */
export class ShapeMemo {
  private readonly outcomes = new Map<
    string,
    {
      readonly outcome: Promise<SimulationOutcome>;
      readonly tokens: readonly string[];
      translation?: Translation;
    }
  >();
  /** Cases evaluated, and cases answered by the simulator. */
  public cases = 0;
  public simulated = 0;

  constructor(private readonly simulate: (input: SimulationCase) => Promise<SimulationOutcome>) {}

  public async evaluate(input: SimulationCase): Promise<SimulationOutcome> {
    this.cases++;
    const shape = caseShape(input);
    if (!shape) {
      this.simulated++;
      return this.simulate(input);
    }
    const known = this.outcomes.get(shape.key);
    if (!known) {
      this.simulated++;
      const outcome = this.simulate(input);
      this.outcomes.set(shape.key, { outcome, tokens: shape.tokens });
      return outcome;
    }
    const outcome = await known.outcome;
    known.translation ??= translationOf(outcome.reason, known.tokens);
    return { decision: outcome.decision, reason: translate(known.translation, shape.tokens) };
  }
}
