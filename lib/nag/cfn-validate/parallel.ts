import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import {
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import type { StackTemplateJob, WorkerMessage, WorkerTask } from './protocol';
import { COUNTER, validateOne } from './protocol';

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
   * Whether the main thread validates templates too, beside waiting for the workers.
   * @default true
   */
  readonly mainThread?: boolean;
}

/** Who validated how many templates in the last validation. */
export interface ValidationShare {
  readonly mainThread: number;
  readonly workers: number;
}

/** The engine's private initialiser: builds it once for every resource type, so no template rebuilds it. */
interface EngineOwner {
  initializeEngine?(resourceTypes: Set<string>): unknown;
}

/** Every resource type the templates use: the default rules the engine loads depend on them. */
export function resourceTypesOf(templatePaths: readonly string[]): string[] {
  const types = new Set<string>();
  for (const file of templatePaths) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources?: Record<string, unknown> };
      for (const resource of Object.values(parsed?.Resources ?? {})) {
        const type = (resource as { Type?: unknown } | null)?.Type;
        if (typeof type === 'string') types.add(type);
      }
    } catch {
      // The engine reports an unreadable template itself, as the sequential plugin does.
    }
  }
  return [...types].sort();
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

/** How a worker thread loads its TypeScript entry when Clover runs from its sources. */
function workerSource(entry: string): string {
  const load = [`require(${JSON.stringify(entry)});`];
  if (entry.endsWith('.ts')) {
    const register = path.join(__dirname, '..', '..', '..', 'scripts', 'register-ts.js');
    load.unshift(`require(${JSON.stringify(register)});`);
  }
  return load.join('\n');
}

/**
 * aws-cdk-lib's CloudFormation Validate plugin (cfn-lint rules and resource schemas, WASM), with its
 * templates shared between the main thread and worker threads. Registered on the App it replaces the
 * built-in instance (CDK adds the default only when none is registered); the report is the one the
 * built-in plugin gives, violation for violation (`mergeReports`). At 256 enclaves (1,026 templates, ~40 ms
 * each) the validation was a quarter of synth, single-threaded on a machine with idle cores.
 *
 * `validate` is synchronous, as CDK calls it: the main thread takes templates from the same queue as the
 * workers, then waits on a shared counter until every template has a report. A template whose worker
 * failed is validated again on the main thread, so a failure surfaces exactly as it would without workers.
 */
export class ParallelCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private readonly workers?: number;
  private readonly minTemplates: number;
  private readonly mainThread: boolean;
  /** Who validated how many templates in the last validation. */
  public lastShare: ValidationShare = { mainThread: 0, workers: 0 };

  constructor(props: ParallelCloudFormationValidateProps = {}) {
    super();
    this.workers = props.workers;
    this.minTemplates = props.minTemplates ?? PARALLEL_MIN_TEMPLATES;
    this.mainThread = props.mainThread ?? true;
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
    const workers = this.workerCount(jobs.length);
    if (workers === 0) {
      this.lastShare = { mainThread: jobs.length, workers: 0 };
      return engine.validate(context);
    }

    const resourceTypes = resourceTypesOf(jobs.map((job) => job.templatePath));
    const counters = new Int32Array(new SharedArrayBuffer(4 * Object.keys(COUNTER).length));
    const entry = path.join(__dirname, `worker${path.extname(__filename)}`);
    const threads: Worker[] = [];
    const ports: MessagePort[] = [];
    for (let i = 0; i < workers; i++) {
      const { port1, port2 } = new MessageChannel();
      const task: WorkerTask = { jobs, resourceTypes, counters, port: port2 };
      const worker = new Worker(workerSource(entry), { eval: true, workerData: task, transferList: [port2] });
      // A worker's failure reaches this thread through the counters: its templates are validated here.
      worker.on('error', () => undefined);
      worker.unref();
      threads.push(worker);
      ports.push(port1);
    }
    try {
      (engine as unknown as EngineOwner).initializeEngine?.(new Set(resourceTypes));
      const reports: Array<PolicyValidationPluginReport | undefined> = new Array(jobs.length);
      const take = () => Atomics.add(counters, COUNTER.next, 1);
      let here = 0;
      for (let i = this.mainThread ? take() : jobs.length; i < jobs.length; i = take()) {
        reports[i] = validateOne(engine, jobs[i], context.appConstruct);
        Atomics.add(counters, COUNTER.done, 1);
        here++;
      }
      awaitWorkers(ports, counters, workers, reports);
      this.lastShare = { mainThread: here, workers: reports.filter((r) => r !== undefined).length - here };
      // What a worker could not validate (it failed) is validated here, failing as it would without workers.
      for (let index = 0; index < jobs.length; index++) {
        reports[index] ??= validateOne(engine, jobs[index], context.appConstruct);
      }
      return mergeReports(reports as PolicyValidationPluginReport[]);
    } finally {
      for (const port of ports) port.close();
      for (const worker of threads) void worker.terminate();
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

/** Reports the workers posted, into their template's slot. */
function drain(
  ports: readonly MessagePort[],
  reports: Array<PolicyValidationPluginReport | undefined>,
): void {
  for (const port of ports) {
    for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
      const { index, report } = received.message as WorkerMessage;
      if (report) reports[index] = report;
    }
  }
}

/** Blocks (CDK's validation is synchronous) until every template has a report or every worker has ended. */
function awaitWorkers(
  ports: readonly MessagePort[],
  counters: Int32Array,
  workers: number,
  reports: Array<PolicyValidationPluginReport | undefined>,
): void {
  for (;;) {
    const done = Atomics.load(counters, COUNTER.done);
    // Read before draining: a worker posts its last report before it counts itself ended.
    const ended = Atomics.load(counters, COUNTER.exited) >= workers;
    drain(ports, reports);
    if (ended || !reports.includes(undefined)) return;
    Atomics.wait(counters, COUNTER.done, done, 250);
  }
}
