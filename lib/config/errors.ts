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
      `Invalid Clover config (${source}): ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const value = problem.value === undefined ? '(missing)' : JSON.stringify(problem.value);
  return `${problem.path || '(config)'} ${value}: ${problem.problem}; fix: ${problem.fix}`;
}

export class ProblemCollector {
  private readonly problems: ConfigProblem[] = [];

  public add(path: string, value: unknown, problem: string, fix: string): void {
    this.problems.push({ path, value, problem, fix });
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
