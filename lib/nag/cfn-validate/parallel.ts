import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import {
  attachCustomSynthesis,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
  Stage,
  Token,
} from 'aws-cdk-lib';
import {
  claim,
  COUNTER,
  COUNTER_SLOTS,
  QueuedJob,
  StackTemplateJob,
  TemplateValidator,
  WorkerMessage,
  WorkerTask,
} from './protocol';

/**
 * Below this many templates the validation runs on the main thread only: a worker costs ~2 s to start
 * (aws-cdk-lib, the WASM engine and its rules), about what 50 templates cost to validate (~40 ms each).
 */
export const PARALLEL_MIN_TEMPLATES = 100;
/** At most this many worker threads, however many cores: each holds its own engine (~150 MB). */
export const MAX_WORKERS = 3;

export interface ParallelCloudFormationValidateProps {
  /**
   * Worker threads beside the main thread.
   * @default one fewer than the available cores (at most 3); none below `minTemplates`
   */
  readonly workers?: number;
  /**
   * Fewest templates worth starting workers for.
   * @default 100
   */
  readonly minTemplates?: number;
  /**
   * Whether the main thread validates templates too, once CDK asks for the report.
   * @default true
   */
  readonly mainThread?: boolean;
  /**
   * The worker's module (tests: a module that cannot load).
   * @internal
   */
  readonly _workerEntry?: string;
}

/** Who validated how many templates in the last validation. */
export interface ValidationShare {
  readonly mainThread: number;
  readonly workers: number;
}

/**
 * One report from per-template reports, merged exactly as aws-cdk-lib's plugin merges the diagnostics of
 * its templates: a violation with the same rule, severity and description gathers their resources, in
 * template order.
 */
export function mergeReports(reports: readonly PolicyValidationPluginReport[]): PolicyValidationPluginReport {
  const violations: PolicyViolation[] = [];
  for (const report of reports) {
    for (const violation of report.violations) {
      const existing = violations.find(
        (v) =>
          v.ruleName === violation.ruleName &&
          v.severity === violation.severity &&
          v.description === violation.description,
      );
      if (existing) existing.violatingResources.push(...violation.violatingResources);
      else violations.push({ ...violation, violatingResources: [...violation.violatingResources] });
    }
  }
  return { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations };
}

/**
 * How a worker thread loads its entry; from Clover's TypeScript sources, through scripts/register-ts.js.
 * A worker that cannot load counts itself ended, so the main thread, blocked on the counters, does its
 * share instead of waiting for it.
 */
function workerSource(entry: string): string {
  const load = [`require(${JSON.stringify(entry)});`];
  if (entry.endsWith('.ts')) {
    const register = path.join(__dirname, '..', '..', '..', 'scripts', 'register-ts.js');
    load.unshift(`require(${JSON.stringify(register)});`);
  }
  return [
    'try {',
    ...load,
    '} catch (error) {',
    "  const { counters } = require('worker_threads').workerData;",
    `  Atomics.add(counters, ${COUNTER.exited}, 1);`,
    `  Atomics.notify(counters, ${COUNTER.done});`,
    '  throw error;',
    '}',
  ].join('\n');
}

function sameJob(a: StackTemplateJob, b: StackTemplateJob): boolean {
  return (
    a.templatePath === b.templatePath &&
    a.stackConstructPath === b.stackConstructPath &&
    a.accountId === b.accountId &&
    a.region === b.region
  );
}

/** A stage's stacks as CDK will describe them to validation plugins. */
function stackJobsOf(stage: Stage): StackTemplateJob[] {
  const known = (value: string) => (Token.isUnresolved(value) ? undefined : value);
  return stage.node.children
    .filter((child): child is Stack => Stack.isStack(child) && !child.nested)
    .map((stack) => ({
      stackConstructPath: stack.node.path,
      templatePath: path.join(stage.outdir, stack.templateFile),
      accountId: known(stack.account),
      region: known(stack.region),
    }));
}

/**
 * Worker threads and the queue of templates they share with the main thread. Templates are queued as
 * stages are synthesized; the main thread joins when CDK asks for the report, then waits on the shared
 * counters until every template has its report.
 */
class ValidationPool {
  private readonly counters = new Int32Array(new SharedArrayBuffer(4 * COUNTER_SLOTS));
  private readonly jobs: StackTemplateJob[] = [];
  private readonly byPath = new Map<string, number>();
  private readonly reports: Array<PolicyValidationPluginReport | undefined> = [];
  private readonly ports: MessagePort[] = [];
  private readonly threads: Worker[] = [];

  constructor(workers: number, entry = path.join(__dirname, `worker${path.extname(__filename)}`)) {
    for (let i = 0; i < workers; i++) {
      const { port1, port2 } = new MessageChannel();
      const task: WorkerTask = { counters: this.counters, port: port2 };
      const worker = new Worker(workerSource(entry), { eval: true, workerData: task, transferList: [port2] });
      // A worker's failure reaches this thread through the counters: its templates are validated here.
      worker.on('error', () => undefined);
      worker.unref();
      this.threads.push(worker);
      this.ports.push(port1);
    }
  }

  /** Queues a template (once); returns its place in the queue. */
  public add(job: StackTemplateJob): number {
    const known = this.byPath.get(job.templatePath);
    if (known !== undefined && sameJob(this.jobs[known], job)) return known;
    const index = this.jobs.length;
    this.jobs.push(job);
    this.byPath.set(job.templatePath, index);
    const queued: QueuedJob = { index, job };
    for (const port of this.ports) port.postMessage(queued);
    Atomics.add(this.counters, COUNTER.queued, 1);
    Atomics.notify(this.counters, COUNTER.queued);
    return index;
  }

  /** Closes the queue, validates on this thread what is left, and waits for the workers' reports. */
  public finish(validator: TemplateValidator | undefined): {
    reports: PolicyValidationPluginReport[];
    here: number;
  } {
    Atomics.store(this.counters, COUNTER.closed, 1);
    Atomics.notify(this.counters, COUNTER.queued);
    let here = 0;
    if (validator) {
      for (let index = claim(this.counters); index >= 0; index = claim(this.counters)) {
        this.reports[index] = validator.validate(this.jobs[index]);
        Atomics.add(this.counters, COUNTER.done, 1);
        here++;
      }
    }
    this.awaitWorkers();
    return { reports: this.reports as PolicyValidationPluginReport[], here };
  }

  /** A template no worker could validate (it failed, or none was left): validated here. */
  public fillGaps(validator: TemplateValidator): number {
    let here = 0;
    for (let index = 0; index < this.jobs.length; index++) {
      if (this.reports[index] === undefined) {
        this.reports[index] = validator.validate(this.jobs[index]);
        here++;
      }
    }
    return here;
  }

  public close(): void {
    Atomics.store(this.counters, COUNTER.closed, 1);
    Atomics.notify(this.counters, COUNTER.queued);
    for (const port of this.ports) port.close();
    for (const worker of this.threads) void worker.terminate();
  }

  private drain(): void {
    for (const port of this.ports) {
      for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
        const { index, report } = received.message as WorkerMessage;
        if (report) this.reports[index] = report;
      }
    }
  }

  /** Blocks (CDK's validation is synchronous) until every template has a report or every worker has ended. */
  private awaitWorkers(): void {
    for (;;) {
      const done = Atomics.load(this.counters, COUNTER.done);
      // Read before draining: a worker posts its last report before it counts itself ended.
      const ended = Atomics.load(this.counters, COUNTER.exited) >= this.threads.length;
      this.drain();
      let complete = true;
      for (let index = 0; index < this.jobs.length && complete; index++)
        complete = this.reports[index] !== undefined;
      if (ended || complete) return;
      Atomics.wait(this.counters, COUNTER.done, done, 250);
    }
  }
}

/**
 * aws-cdk-lib's CloudFormation Validate plugin (cfn-lint rules and resource schemas, WASM), run on worker
 * threads beside the synthesis. Registered on the App it replaces the built-in instance (CDK adds that one
 * only when none is registered) and gives its report, violation for violation (`mergeReports`). At 256
 * enclaves (1,026 templates, ~40 ms each) the validation was a quarter of synth, on one core of two.
 *
 * `validateAsSynthesized(stage)` queues a stage's templates the moment CDK has written them, so workers
 * validate while the next stages synthesize and while the other packs run. `validate`, called by CDK
 * after every template is written, queues what is not queued yet, validates on the main thread what is
 * left, and waits for the rest. A template whose worker failed is validated again on the main thread,
 * so a failure surfaces exactly as it would without workers. Below `minTemplates`, no worker starts and
 * the built-in plugin validates as usual.
 */
export class ParallelCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly workers?: number;
  private readonly minTemplates: number;
  private readonly mainThread: boolean;
  private readonly workerEntry?: string;
  private readonly stages: Stage[] = [];
  private pool?: ValidationPool;
  /** Who validated how many templates in the last validation. */
  public lastShare: ValidationShare = { mainThread: 0, workers: 0 };

  constructor(props: ParallelCloudFormationValidateProps = {}) {
    super();
    this.workers = props.workers;
    this.minTemplates = props.minTemplates ?? PARALLEL_MIN_TEMPLATES;
    this.mainThread = props.mainThread ?? true;
    this.workerEntry = props._workerEntry;
  }

  /** Queues the stage's templates as soon as CDK has synthesized the stage. */
  public validateAsSynthesized(stage: Stage): void {
    this.stages.push(stage);
    attachCustomSynthesis(stage, {
      onSynthesize: () => {
        if (!this.pool) {
          const expected = this.stages.reduce((sum, each) => sum + stackJobsOf(each).length, 0);
          const workers = this.workerCount(expected);
          if (workers === 0) return;
          this.pool = new ValidationPool(workers, this.workerEntry);
        }
        for (const job of stackJobsOf(stage)) this.pool.add(job);
      },
    });
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // The built-in instance is a process-wide singleton: its engine is built once for many apps (tests).
    const engine = CloudFormationValidatePlugin._singletonInstance();
    const jobs: StackTemplateJob[] = context.stackTemplates.map((stack) => ({
      stackConstructPath: stack.stackConstructPath,
      templatePath: stack.templatePath,
      accountId: stack.accountId,
      region: stack.region,
    }));
    let pool = this.pool;
    this.pool = undefined;
    if (!pool) {
      const workers = this.workerCount(jobs.length);
      if (workers === 0) {
        this.lastShare = { mainThread: jobs.length, workers: 0 };
        return engine.validate(context);
      }
      pool = new ValidationPool(workers, this.workerEntry);
    }
    try {
      const positions = jobs.map((job) => pool.add(job));
      const validator = new TemplateValidator(engine, context.appConstruct);
      const { reports, here } = pool.finish(this.mainThread ? validator : undefined);
      const filled = pool.fillGaps(validator);
      const own = positions.map((position) => reports[position]);
      this.lastShare = { mainThread: here + filled, workers: reports.length - here - filled };
      return mergeReports(own);
    } finally {
      pool.close();
    }
  }

  private workerCount(templates: number): number {
    if (templates < this.minTemplates) return 0;
    const cores =
      typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const wanted = this.workers ?? Math.min(MAX_WORKERS, cores - 1);
    return Math.max(0, Math.min(wanted, templates - 1));
  }
}
