import { covers, isExpired, RecordedAcknowledgment } from '../../lib/audit/acknowledgments';
import { findAcknowledgment } from '../../lib/audit/engine';

// findAcknowledgment indexes the list by rule and path; its answer must be the one of the plain
// definition: the first acknowledgment in list order of the rule that covers the path and has not expired.
const plain = (
  acks: readonly RecordedAcknowledgment[],
  rule: string,
  path: string | undefined,
  today: string,
) =>
  rule.startsWith('CLV-RES-')
    ? undefined
    : acks.find((ack) => ack.rule === rule && covers(ack, path) && !isExpired(ack, today));

describe('findAcknowledgment', () => {
  // A small deterministic generator: every combination below is tried against the plain definition.
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const rules = ['CLV-ENC-1', 'CLV-NET-3', 'AwsSolutions-IAM5', 'CLV-RES-2'];
  const paths = ['a', 'a/b', 'a/b/c', 'a/bc', '/a/b', 'x/y', 'a/b/c/d', 'x'];
  const expiries = [undefined, '2026-01-01', '2027-01-01'];
  const acks: RecordedAcknowledgment[] = Array.from({ length: 60 }, (_, i) => ({
    rule: rules[next(rules.length)],
    path: paths[next(paths.length)],
    reason: `reason number ${i}`,
    ...(expiries[next(expiries.length)] ? { expires: expiries[next(expiries.length)] ?? '2026-06-01' } : {}),
  }));

  test('gives the answer of the plain definition for every rule, path and date', () => {
    let answered = 0;
    for (const rule of rules)
      for (const path of [...paths, 'a/b/c/d/e', 'ab', undefined])
        for (const today of ['2026-06-01', '2027-06-01']) {
          const expected = plain(acks, rule, path, today);
          expect(findAcknowledgment(acks, rule, path, today)).toBe(expected);
          if (expected) answered++;
        }
    // Not every case is "none": the generated list does acknowledge some of them.
    expect(answered).toBeGreaterThan(10);
  });

  test('sees acknowledgments added to the list after its first use', () => {
    const list: RecordedAcknowledgment[] = [{ rule: 'CLV-ENC-1', path: 'p', reason: 'a long enough reason' }];
    expect(findAcknowledgment(list, 'CLV-ENC-1', 'q/r', '2026-06-01')).toBeUndefined();
    list.push({ rule: 'CLV-ENC-1', path: 'q', reason: 'a long enough reason' });
    expect(findAcknowledgment(list, 'CLV-ENC-1', 'q/r', '2026-06-01')).toBe(list[1]);
  });
});
