/** Collects every config problem, then throws once: one line per problem, each naming path, value and fix. */

export interface ConfigProblem {
  /** Field path such as `enclaves[2].region`. */
  readonly path: string;
  /** The offending value, shown as JSON. */
  readonly value: unknown;
  /** What is wrong. */
  readonly problem: string;
  /** What to do about it. */
  readonly fix: string;
}

export class ConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], source: string) {
    super(
      `Invalid Clover config (${shortenText(source)}): ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const value = problem.value === undefined ? '(missing)' : quoteValue(problem.value);
  const path = shortenText(problem.path) || '(config)';
  return `${path} ${value}: ${shortenQuoted(problem.problem)}; fix: ${shortenQuoted(problem.fix)}`;
}

/** Longest value, path or quoted text an error line shows in full. */
export const MAX_QUOTED_LENGTH = 80;

/** The first `length` characters of `text`, one fewer where a surrogate pair would be split. */
function head(text: string, length: number): string {
  return text.slice(0, /[\uD800-\uDBFF]/.test(text[length - 1] ?? '') ? length - 1 : length);
}

/**
 * `text` when it is at most {@link MAX_QUOTED_LENGTH} characters, else its
 * start, an ellipsis and its length: a pasted blob must not flood the terminal.
 */
export function shortenText(text: string): string {
  if (text.length <= MAX_QUOTED_LENGTH) return text;
  return `${head(text, MAX_QUOTED_LENGTH - 1)}… (${text.length} characters)`;
}

/** A config value as JSON, cut like {@link shortenText}: a long string keeps its quotes around the cut. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= MAX_QUOTED_LENGTH) return JSON.stringify(value);
    const start = JSON.stringify(head(value, MAX_QUOTED_LENGTH - 3)).slice(0, -1);
    return `${start}…" (${value.length} characters)`;
  }
  return shortenText(JSON.stringify(value) ?? String(value));
}

/** Each quoted string in turn, left to right, so that the text between two of them is never taken for one. */
const QUOTED = /"([^"]*)"/g;
const LONG_RUN = new RegExp(`[^\\s"]{${MAX_QUOTED_LENGTH + 1},}`, 'g');

/**
 * Cuts what a problem or fix text quotes from the config (`enclave "…"`, a
 * list of names), which may be a pasted blob: every quoted string and every
 * unbroken run of characters longer than {@link MAX_QUOTED_LENGTH}.
 */
export function shortenQuoted(text: string): string {
  return text
    .replace(QUOTED, (whole, quoted: string) =>
      quoted.length > MAX_QUOTED_LENGTH ? quoteValue(quoted) : whole,
    )
    .replace(LONG_RUN, (run) => shortenText(run));
}

export class ProblemCollector {
  private readonly problems: ConfigProblem[] = [];

  public add(path: string, value: unknown, problem: string, fix: string): void {
    this.problems.push({ path, value, problem, fix });
  }

  public addAll(problems: readonly ConfigProblem[]): void {
    this.problems.push(...problems);
  }

  public get count(): number {
    return this.problems.length;
  }

  public throwIfAny(source: string): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems, source);
  }
}

/** `['enclaves', 2, 'region']` → `enclaves[2].region`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
