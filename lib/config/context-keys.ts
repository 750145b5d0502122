import { ConfigError, type ConfigProblem } from './errors';

/**
 * Edit distance counting an adjacent transposition as one edit (optimal string
 * alignment, the restricted Damerau-Levenshtein distance): `conifg` is 1 from
 * `config`, where plain Levenshtein says 2.
 */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: distance between the first i characters of a and the first j of b.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

/** Edits (after case and separators are ignored) within which a key is taken for a misspelling. */
export const MISSPELLING_DISTANCE = 2;

/** Case, dashes, underscores, dots and spaces ignored: `Config`, `CONFIG` and `con-fig` are `config`. */
function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

/**
 * Keys that belong to the CDK or another library, never to Clover: feature flags
 * (`@aws-cdk/…`), the CLI's switches (`aws:cdk:…`) and cached lookups
 * (`availability-zones:account=…`) all carry an `@`, a `:` or a `/`.
 */
function isNamespaced(key: string): boolean {
  return key.startsWith('@') || key.includes(':') || key.includes('/');
}

/**
 * The context key Clover reads that `key` resembles, or undefined when `key`
 * is one of them or resembles none: within {@link MISSPELLING_DISTANCE} edits
 * ignoring case and separators (`conifg`, `todya`, `Config`), or one of them
 * with something appended (`configFile`, `config-path`).
 */
export function resembledContextKey(key: string, known: readonly string[]): string | undefined {
  if (known.includes(key) || isNamespaced(key)) return undefined;
  const typed = normalise(key);
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const wanted = normalise(candidate);
    const distance = typed.startsWith(wanted) ? 0 : editDistance(typed, wanted);
    if (distance <= MISSPELLING_DISTANCE && (best === undefined || distance < best.distance)) {
      best = { key: candidate, distance };
    }
  }
  return best?.key;
}

/**
 * One problem per context key that resembles a key Clover reads without being
 * it: such a key is a typo, and ignoring it would synthesize something other
 * than what the user asked for (the embedded sample accounts for `-c conifg=…`).
 */
export function misspeltContextKeyProblems(
  context: Readonly<Record<string, unknown>>,
  known: readonly string[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(context)) {
    const meant = resembledContextKey(key, known);
    if (meant === undefined) continue;
    const example = typeof value === 'string' && value.length <= 60 ? value : '…';
    problems.push({
      path: `-c ${key}`,
      value,
      problem: `is not a context key Clover reads; it resembles "${meant}"`,
      fix: `write -c ${meant}=${example} (or rename the key where it is set: cdk.json, cdk.context.json); Clover reads ${known.join(', ')}`,
    });
  }
  return problems;
}

/** Throws a ConfigError listing every context key that looks like a misspelling of one Clover reads. */
export function checkContextKeys(context: Readonly<Record<string, unknown>>, known: readonly string[]): void {
  const problems = misspeltContextKeyProblems(context, known);
  if (problems.length > 0) throw new ConfigError(problems, 'context');
}
