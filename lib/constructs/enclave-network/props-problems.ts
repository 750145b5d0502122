import { IConstruct } from 'constructs';
import { ConfigProblem, formatProblem } from '../../config/errors';

/** Invalid construct props: one line per problem, each naming the prop, its value and the fix. */
export class PropsError extends Error {
  constructor(
    public readonly problems: readonly ConfigProblem[],
    construct: string,
    path: string,
  ) {
    super(
      `Invalid ${construct} props at ${path || '(root)'}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'PropsError';
  }
}

/** Collects every problem with a construct's props, then throws once. */
export class PropsProblems {
  private readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly scope: IConstruct,
    private readonly construct: string,
  ) {}

  public add(prop: string, value: unknown, problem: string, fix: string): void {
    this.problems.push({ path: prop, value, problem, fix });
  }

  /** Adds the problems of a pure props check (lib/config/network-props.ts). */
  public addAll(problems: readonly ConfigProblem[]): void {
    this.problems.push(...problems);
  }

  public throwIfAny(): void {
    if (this.problems.length > 0) throw new PropsError(this.problems, this.construct, this.scope.node.path);
  }
}
