import { createHmac } from 'crypto';
import { isIPv6 } from 'net';
import {
  BUILT_IN_PATTERNS,
  customPatternProblem,
  DEFAULT_PSEUDONYMISATION_RULES,
  type PseudonymisationRule,
  SHIPPER_VARIABLES,
} from '../../lib/config/shipper-contract';

export { BUILT_IN_PATTERNS, DEFAULT_PSEUDONYMISATION_RULES, type PseudonymisationRule };

/**
 * Parses `CLOVER_PSEUDONYMISATION` (a JSON array of rules). An unset or empty
 * value means the defaults; anything malformed throws one error listing every
 * problem, because shipping with the wrong rules could leak personal data.
 */
export function parsePseudonymisationRules(text: string | undefined): PseudonymisationRule[] {
  if (text === undefined || text.trim() === '') {
    return [...DEFAULT_PSEUDONYMISATION_RULES];
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(
      `${SHIPPER_VARIABLES.pseudonymisation} is not valid JSON; set it to a JSON array of {kind, match} rules`,
    );
  }
  if (!Array.isArray(value)) {
    throw new Error(`${SHIPPER_VARIABLES.pseudonymisation} must be a JSON array of {kind, match} rules`);
  }
  const problems: string[] = [];
  const rules: PseudonymisationRule[] = [];
  value.forEach((raw: unknown, index) => {
    const rule = raw as Partial<Record<keyof PseudonymisationRule, unknown>> | null;
    const at = `${SHIPPER_VARIABLES.pseudonymisation}[${index}]`;
    if (typeof rule !== 'object' || rule === null) {
      problems.push(`${at} must be an object {kind, match}`);
      return;
    }
    if (rule.kind !== 'field' && rule.kind !== 'pattern') {
      problems.push(`${at}.kind ${JSON.stringify(rule.kind)} must be "field" or "pattern"`);
      return;
    }
    if (typeof rule.match !== 'string' || rule.match === '') {
      problems.push(`${at}.match must be a non-empty string`);
      return;
    }
    if (rule.keepPrivate !== undefined && typeof rule.keepPrivate !== 'boolean') {
      problems.push(`${at}.keepPrivate must be true or false`);
      return;
    }
    if (rule.kind === 'pattern' && !isBuiltIn(rule.match)) {
      const problem = customPatternProblem(rule.match);
      if (problem) {
        problems.push(`${at}.match ${JSON.stringify(rule.match)} ${problem}`);
        return;
      }
    }
    rules.push({ kind: rule.kind, match: rule.match, keepPrivate: rule.keepPrivate as boolean | undefined });
  });
  if (problems.length > 0) {
    throw new Error(`invalid pseudonymisation rules:\n  ${problems.join('\n  ')}`);
  }
  return rules;
}

function isBuiltIn(match: string): match is BuiltInPattern {
  return (BUILT_IN_PATTERNS as readonly string[]).includes(match);
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/**
 * One pass per built-in pattern, in this order. A pass runs only on messages
 * that contain its trigger character, which keeps flow logs (no `:` or `@`)
 * cheap. Tokens contain only `[a-z0-9_]`, so no pass can recreate what an
 * earlier one removed. The IPv6 pattern is loose and each candidate is
 * checked with `net.isIPv6`; a rejected candidate stays for the IPv4 pass, so
 * an IPv4 address inside it cannot slip through.
 */
const PASSES: ReadonlyArray<{
  readonly name: BuiltInPattern;
  readonly trigger?: string;
  readonly source: string;
}> = [
  {
    name: 'ipv6',
    trigger: ':',
    source:
      '(?<![0-9a-z:.])(?:[0-9a-f]{0,4}:){2,7}(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-f]{1,4})?(?![0-9a-z:]|\\.\\d)',
  },
  { name: 'ipv4', trigger: '.', source: `(?<![0-9])(?:${OCTET}\\.){3}${OCTET}(?![0-9])` },
  {
    name: 'email',
    trigger: '@',
    source: '(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}',
  },
  // International numbers (+ or 00 prefix) with 8 to 15 digits and optional separators.
  { name: 'phone', source: '(?<![0-9a-z+])(?:\\+|00)[1-9](?:[ .()-]{0,2}\\d){7,14}(?!\\d)' },
  // The value of a user-id key (userId=…, "user_name": "…", uid: …); the key stays readable.
  {
    name: 'user-id',
    source: '(?<![0-9a-z_])((?:user(?:[_-]?(?:id|name))?|uid|login)"?\\s*[:=]\\s*"?)([^\\s",;&}\'\\]]+)',
  },
];

type BuiltInPattern = (typeof BUILT_IN_PATTERNS)[number];

/** Token prefixes say what was replaced, so the monitor can still reason about it. */
const PREFIX = {
  ipv4: 'ip4',
  ipv6: 'ip6',
  email: 'eml',
  phone: 'tel',
  'user-id': 'uid',
  field: 'fld',
  custom: 'tok',
} as const;

const TOKEN_CHARS = 16;
const CACHE_LIMIT = 100_000;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

interface Pass {
  readonly trigger?: string;
  readonly regex: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

/**
 * Replaces personal data in log messages with keyed tokens:
 * `<prefix>_<16 base32 chars of HMAC-SHA256(key, canonical value)>`. The same
 * value under the same key always gives the same token, so the monitor can
 * correlate; without the key a token cannot be reversed or recomputed.
 */
export class Pseudonymiser {
  private readonly key: Buffer;
  private readonly passes: Pass[];
  private readonly fields: ReadonlySet<string>;
  private readonly fieldValue: (value: string) => string;

  constructor(key: Buffer | string, rules: readonly PseudonymisationRule[] = DEFAULT_PSEUDONYMISATION_RULES) {
    this.key = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    if (this.key.length === 0) {
      throw new Error('the pseudonymisation key is empty; provide an HMAC key of at least 32 bytes');
    }
    const patterns = rules.filter((rule) => rule.kind === 'pattern');
    const keepPrivate = (name: string) => patterns.find((rule) => rule.match === name)?.keepPrivate ?? true;
    const keepPrivateIpv4 = keepPrivate('ipv4');
    const keepPrivateIpv6 = keepPrivate('ipv6');
    const ipv6 = this.memo((match) => {
      if (!isIPv6(match) || !/[0-9a-f]/i.test(match) || (keepPrivateIpv6 && isNonPublicIPv6(match))) {
        return match;
      }
      return this.token(PREFIX.ipv6, canonicalIPv6(match));
    });
    const userValue = this.memo((value) => this.token(PREFIX['user-id'], value));
    const replacers: Record<BuiltInPattern, Pass['replace']> = {
      ipv6,
      ipv4: this.memo((match) =>
        keepPrivateIpv4 && isNonPublicIPv4(match) ? match : this.token(PREFIX.ipv4, match),
      ),
      email: this.memo((match) => this.token(PREFIX.email, match.toLowerCase())),
      phone: this.memo((match) => this.token(PREFIX.phone, canonicalPhone(match))),
      'user-id': (_match, key, value) => key + userValue(value),
    };
    this.passes = PASSES.filter((pass) => patterns.some((rule) => rule.match === pass.name)).map((pass) => ({
      trigger: pass.trigger,
      regex: new RegExp(pass.source, 'gi'),
      replace: replacers[pass.name],
    }));
    for (const rule of patterns.filter((candidate) => !isBuiltIn(candidate.match))) {
      this.passes.push({
        regex: new RegExp(rule.match, 'g'),
        replace: this.memo((match) => this.token(PREFIX.custom, match)),
      });
    }
    this.fieldValue = this.memo((value) => this.token(PREFIX.field, value));
    this.fields = new Set(rules.filter((rule) => rule.kind === 'field').map((rule) => rule.match));
  }

  /** The message with every configured field and pattern replaced by its token. */
  apply(message: string): string {
    let text = message;
    if (this.fields.size > 0 && looksLikeJsonObject(text)) {
      text = this.applyFields(text);
    }
    for (const pass of this.passes) {
      if (pass.trigger === undefined || text.includes(pass.trigger)) {
        text = text.replace(pass.regex, pass.replace as (match: string, ...groups: unknown[]) => string);
      }
    }
    return text;
  }

  /** The token of an already canonical value. */
  token(prefix: string, canonical: string): string {
    const digest = createHmac('sha256', this.key).update(canonical, 'utf8').digest();
    return `${prefix}_${base32(digest, TOKEN_CHARS)}`;
  }

  private applyFields(text: string): string {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return text;
    }
    return JSON.stringify(this.walk(document, false));
  }

  private walk(value: unknown, inMatchedField: boolean): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.walk(item, inMatchedField));
    }
    if (typeof value === 'object' && value !== null) {
      const result: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(value)) {
        result[name] = this.walk(child, inMatchedField || this.fields.has(name));
      }
      return result;
    }
    if (inMatchedField && value !== null) {
      return this.fieldValue(String(value));
    }
    return value;
  }

  /**
   * `compute` with a bounded cache of its own: flow logs repeat the same
   * addresses over and over, so most matches cost one map lookup.
   */
  private memo(compute: (match: string) => string): (match: string) => string {
    const cache = new Map<string, string>();
    return (match) => {
      let replacement = cache.get(match);
      if (replacement === undefined) {
        replacement = compute(match);
        if (cache.size >= CACHE_LIMIT) {
          cache.clear();
        }
        cache.set(match, replacement);
      }
      return replacement;
    };
  }
}

function looksLikeJsonObject(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      return code === 0x7b;
    }
  }
  return false;
}

/**
 * Addresses that identify no person on the internet: RFC 1918 private ranges,
 * loopback, link-local, shared address space (RFC 6598, used by Clover's
 * inspection VPC), "this network" and the limited broadcast address.
 */
export function isNonPublicIPv4(address: string): boolean {
  const [a, b] = address.split('.').map(Number);
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a === 0 ||
    address === '255.255.255.255'
  );
}

/** Unique local (fc00::/7), link-local (fe80::/10), loopback, unspecified, and IPv4-mapped non-public addresses. */
export function isNonPublicIPv6(address: string): boolean {
  const hextets = expandIPv6(address);
  const first = hextets[0];
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80) {
    return true;
  }
  if (hextets.slice(0, 7).every((hextet) => hextet === 0)) {
    return hextets[7] <= 1;
  }
  if (hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff) {
    const v4 = [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join('.');
    return isNonPublicIPv4(v4);
  }
  return false;
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail becomes the last two). */
export function expandIPv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((hextet) => parseInt(hextet, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const middle = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...middle, ...right];
}

/** RFC 5952 form, so 2001:DB8:0::1 and 2001:db8::1 get the same token. */
export function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** `+` and the digits only, with a 00 international prefix read as `+`. */
export function canonicalPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `+${phone.startsWith('+') ? digits : digits.replace(/^00/, '')}`;
}

function base32(bytes: Buffer, characters: number): string {
  let result = '';
  let buffer = 0;
  let bits = 0;
  for (let index = 0; result.length < characters; index++) {
    buffer = (buffer << 8) | bytes[index];
    bits += 8;
    while (bits >= 5 && result.length < characters) {
      bits -= 5;
      result += BASE32[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return result;
}
