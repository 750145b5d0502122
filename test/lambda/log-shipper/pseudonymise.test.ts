import { isIPv6 } from 'net';
import {
  canonicalIPv6,
  DEFAULT_PSEUDONYMISATION_RULES,
  isNonPublicIPv4,
  isNonPublicIPv6,
  parsePseudonymisationRules,
  Pseudonymiser,
  type PseudonymisationRule,
} from '../../../lambda/log-shipper/pseudonymise';
import { seededRandom } from '../../fixtures/shipper/flow-logs';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);
const ALL_PATTERNS: PseudonymisationRule[] = [
  { kind: 'pattern', match: 'ipv4', keepPrivate: true },
  { kind: 'pattern', match: 'ipv6', keepPrivate: true },
  { kind: 'pattern', match: 'email' },
  { kind: 'pattern', match: 'phone' },
  { kind: 'pattern', match: 'user-id' },
];
const TOKEN = /\b(ip4|ip6|eml|tel|uid|fld|tok)_[a-z2-7]{16}\b/g;

const random = seededRandom(42);
const integer = (below: number) => Math.floor(random() * below);
const pick = <T>(items: readonly T[]): T => items[integer(items.length)];

function publicIPv4(): string {
  for (;;) {
    const address = [1 + integer(223), integer(256), integer(256), integer(256)].join('.');
    if (!isNonPublicIPv4(address)) {
      return address;
    }
  }
}

function privateIPv4(): string {
  return pick([
    () => `10.${integer(256)}.${integer(256)}.${integer(256)}`,
    () => `172.${16 + integer(16)}.${integer(256)}.${integer(256)}`,
    () => `192.168.${integer(256)}.${integer(256)}`,
    () => `127.0.0.${1 + integer(254)}`,
    () => `169.254.${integer(256)}.${integer(256)}`,
  ])();
}

/** A global unicast IPv6 address (2000::/3), in full, compressed or upper-case form. */
function publicIPv6(): string {
  const groups = [
    0x2000 + integer(0x2000),
    ...Array.from({ length: 7 }, () => (random() < 0.3 ? 0 : integer(0x10000))),
  ];
  const full = groups.map((group) => group.toString(16)).join(':');
  const form = integer(3);
  if (form === 0) {
    return full;
  }
  const compressed = canonicalIPv6(full);
  return form === 1 ? compressed : compressed.toUpperCase();
}

function privateIPv6(): string {
  return pick(['fd12:3456:789a::1', 'fe80::1ff:fe23:4567:890a', '::1', 'fc00::42', '::ffff:10.1.2.3']);
}

function email(): string {
  const word = () =>
    Array.from({ length: 2 + integer(8) }, () => pick([...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');
  const local = pick([word(), `${word()}.${word()}`, `${word()}+${word()}`, `${word()}_${word()}`]);
  return `${random() < 0.3 ? local.toUpperCase() : local}@${word()}.${pick(['com', 'eu', 'de', 'co.uk', 'ie', 'no'])}`;
}

function phone(): string {
  const digits = (count: number) => Array.from({ length: count }, () => integer(10)).join('');
  const country = String(1 + integer(98));
  return pick([
    `+${country} ${digits(3)} ${digits(4)} ${digits(2)}`,
    `+${country}-${digits(3)}-${digits(6)}`,
    `00${country} ${digits(2)} ${digits(7)}`,
    `+${country} (${digits(2)}) ${digits(8)}`,
    `+${country}${digits(10)}`,
  ]);
}

const SEPARATORS = [' ', ', ', '"', '=', ' src=', ' [', '] ', '\t', ' from '];

/** Text with the values embedded between random words and separators. */
function embed(values: readonly string[]): string {
  return values
    .map(
      (value) => `${pick(['GET', 'user', 'peer', 'x', '42'])}${pick(SEPARATORS)}${value}${pick(SEPARATORS)}`,
    )
    .join('');
}

describe('Pseudonymiser', () => {
  test('gives the same token for the same value under the same key, across instances', () => {
    const first = new Pseudonymiser(KEY_A);
    const second = new Pseudonymiser(Buffer.from(KEY_A));
    for (let round = 0; round < 200; round++) {
      const message = `peer ${publicIPv4()} mail ${email()}`;
      expect(first.apply(message)).toBe(first.apply(message));
      expect(second.apply(message)).toBe(first.apply(message));
    }
  });

  test('gives a different token under another key', () => {
    const a = new Pseudonymiser(KEY_A);
    const b = new Pseudonymiser(KEY_B);
    for (let round = 0; round < 200; round++) {
      const address = publicIPv4();
      expect(a.apply(address)).not.toBe(b.apply(address));
      expect(a.apply(address)).toMatch(/^ip4_[a-z2-7]{16}$/);
    }
  });

  test('different values get different tokens (no collisions over 5000 addresses)', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A);
    const addresses = new Set(Array.from({ length: 5000 }, publicIPv4));
    const tokens = new Set([...addresses].map((address) => pseudonymiser.apply(address)));
    expect(tokens.size).toBe(addresses.size);
  });

  test('no configured pattern survives: generated public IPs, e-mails and phone numbers are all replaced', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A, ALL_PATTERNS);
    for (let round = 0; round < 300; round++) {
      const values = [publicIPv4(), publicIPv6(), email(), phone(), publicIPv4()];
      const output = pseudonymiser.apply(embed(values));
      for (const value of values) {
        expect(output).not.toContain(value);
      }
      // Independent detectors over the output: nothing that looks like the patterns is left.
      const dotted = output.match(/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g) ?? [];
      expect(dotted.filter((address) => !isNonPublicIPv4(address))).toEqual([]);
      expect(output).not.toMatch(/@/);
      expect(output).not.toMatch(/\+\d/);
      const colonRuns = output.match(/[0-9a-f:]*:[0-9a-f:]*:[0-9a-f:]*/gi) ?? [];
      expect(colonRuns.filter((run) => isIPv6(run) && !isNonPublicIPv6(run))).toEqual([]);
      expect(output.match(TOKEN)).toHaveLength(values.length);
    }
  });

  test('keeps private, loopback and link-local addresses clear by default', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A);
    for (let round = 0; round < 200; round++) {
      const values = [privateIPv4(), privateIPv6()];
      const message = embed(values);
      expect(pseudonymiser.apply(message)).toBe(message);
    }
    expect(pseudonymiser.apply('nat 100.64.1.7 to 203.0.113.9')).toMatch(
      /^nat 100\.64\.1\.7 to ip4_[a-z2-7]{16}$/,
    );
  });

  test('replaces private addresses too when keepPrivate is false', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A, [
      { kind: 'pattern', match: 'ipv4', keepPrivate: false },
      { kind: 'pattern', match: 'ipv6', keepPrivate: false },
    ]);
    expect(pseudonymiser.apply('10.1.2.3 fd12::1')).toMatch(/^ip4_[a-z2-7]{16} ip6_[a-z2-7]{16}$/);
  });

  test('a VPC flow log record keeps its private side and loses its public peer', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A);
    const record =
      '2 111111111111 eni-0a1b2c3d4e5f60718 203.0.113.12 10.10.1.5 49152 443 6 10 840 1795000000 1795000060 ACCEPT OK';
    expect(pseudonymiser.apply(record)).toMatch(
      /^2 111111111111 eni-0a1b2c3d4e5f60718 ip4_[a-z2-7]{16} 10\.10\.1\.5 49152 443 6 10 840 1795000000 1795000060 ACCEPT OK$/,
    );
  });

  test('writes one token for different spellings of the same IPv6 address and e-mail address', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A);
    expect(pseudonymiser.apply('2001:DB8:0:0::1')).toBe(pseudonymiser.apply('2001:db8::1'));
    expect(pseudonymiser.apply('Alice@Example.EU')).toBe(pseudonymiser.apply('alice@example.eu'));
  });

  test('leaves clock times and MAC addresses alone but still finds an IPv4 address inside a non-address', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A);
    expect(pseudonymiser.apply('at 12:30:45 mac aa:bb:cc:dd:ee:ff')).toBe(
      'at 12:30:45 mac aa:bb:cc:dd:ee:ff',
    );
    expect(pseudonymiser.apply('x a:b:198.51.100.7 y')).toMatch(/^x a:b:ip4_[a-z2-7]{16} y$/);
    expect(pseudonymiser.apply('mapped ::ffff:198.51.100.7')).toMatch(/^mapped ip6_[a-z2-7]{16}$/);
  });

  test('replaces user-id values and keeps the key readable', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A, [{ kind: 'pattern', match: 'user-id' }]);
    expect(pseudonymiser.apply('userId=alice42 "user_name": "bob" uid:7')).toMatch(
      /^userId=uid_[a-z2-7]{16} "user_name": "uid_[a-z2-7]{16}" uid:uid_[a-z2-7]{16}$/,
    );
  });

  test('field rules replace the values of named JSON fields at any depth, and only in JSON messages', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A, [
      { kind: 'field', match: 'sourceIPAddress' },
      { kind: 'field', match: 'userIdentity' },
    ]);
    const cloudTrail = JSON.stringify({
      eventName: 'Decrypt',
      sourceIPAddress: '10.0.0.1',
      userIdentity: { arn: 'arn:aws:sts::111111111111:assumed-role/r/alice', accountId: '111111111111' },
      resources: [{ sourceIPAddress: 'kms.amazonaws.com' }],
    });
    const output = JSON.parse(pseudonymiser.apply(cloudTrail));
    expect(output.eventName).toBe('Decrypt');
    expect(output.sourceIPAddress).toMatch(/^fld_[a-z2-7]{16}$/);
    expect(output.userIdentity.arn).toMatch(/^fld_/);
    expect(output.userIdentity.accountId).toMatch(/^fld_/);
    expect(output.resources[0].sourceIPAddress).toMatch(/^fld_/);
    expect(pseudonymiser.apply('sourceIPAddress=10.0.0.1')).toBe('sourceIPAddress=10.0.0.1');
  });

  test('custom regular expressions replace their whole match', () => {
    const pseudonymiser = new Pseudonymiser(KEY_A, [{ kind: 'pattern', match: 'ACC-\\d{6}' }]);
    expect(pseudonymiser.apply('account ACC-123456 closed')).toMatch(/^account tok_[a-z2-7]{16} closed$/);
  });

  test('refuses an empty key', () => {
    expect(() => new Pseudonymiser('')).toThrow(/key is empty/);
  });
});

describe('parsePseudonymisationRules', () => {
  test('uses the defaults (public IPv4/IPv6, e-mail) when unset', () => {
    expect(parsePseudonymisationRules(undefined)).toEqual(DEFAULT_PSEUDONYMISATION_RULES);
    expect(parsePseudonymisationRules('  ')).toEqual(DEFAULT_PSEUDONYMISATION_RULES);
  });

  test('reads the JSON array the wiring sets', () => {
    expect(
      parsePseudonymisationRules('[{"kind":"pattern","match":"phone"},{"kind":"field","match":"email"}]'),
    ).toEqual([
      { kind: 'pattern', match: 'phone', keepPrivate: undefined },
      { kind: 'field', match: 'email', keepPrivate: undefined },
    ]);
  });

  test('lists every bad rule at once', () => {
    expect(() =>
      parsePseudonymisationRules(
        '[{"kind":"regex","match":"x"},{"kind":"pattern","match":"("},{"kind":"pattern","match":"a*"},{"kind":"field"}]',
      ),
    ).toThrow(
      /\[0\]\.kind "regex" must be "field" or "pattern"[\s\S]*\[1\]\.match "\(" is neither a built-in pattern nor a valid regular expression[\s\S]*\[2\]\.match "a\*" matches the empty string[\s\S]*\[3\]\.match must be a non-empty string/,
    );
  });

  test('rejects JSON that is not an array', () => {
    expect(() => parsePseudonymisationRules('{')).toThrow(/not valid JSON/);
    expect(() => parsePseudonymisationRules('{"kind":"field"}')).toThrow(/must be a JSON array/);
  });
});
