import * as fs from 'fs';
import type {
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { MessagePort } from 'worker_threads';

/** One template to validate, as CDK describes it to a validation plugin. */
export interface StackTemplateJob {
  readonly stackConstructPath: string;
  readonly templatePath: string;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
}

/**
 * Slots of the counters the threads share: the next queued template to take, how many are queued,
 * whether the queue is closed (no template will be added), templates validated, workers ended.
 */
export const COUNTER = { next: 0, queued: 1, closed: 2, done: 3, exited: 4 } as const;
export const COUNTER_SLOTS = Object.keys(COUNTER).length;

/** What the main thread gives each worker; templates then arrive on the port as `QueuedJob`s. */
export interface WorkerTask {
  readonly counters: Int32Array;
  readonly port: MessagePort;
}

/** A template added to the queue, posted to every worker before the queue count grows. */
export interface QueuedJob {
  readonly index: number;
  readonly job: StackTemplateJob;
}

/** A template's report, or the error that kept the worker from giving one (the main thread retries it). */
export interface WorkerMessage {
  readonly index: number;
  readonly report?: PolicyValidationPluginReport;
  readonly error?: string;
}

/** Takes the next queued template, or returns -1 when none is queued right now. */
export function claim(counters: Int32Array): number {
  for (;;) {
    const next = Atomics.load(counters, COUNTER.next);
    if (next >= Atomics.load(counters, COUNTER.queued)) return -1;
    if (Atomics.compareExchange(counters, COUNTER.next, next, next + 1) === next) return next;
  }
}

/** The engine's private initialiser (aws-cdk-lib 2.276): builds it for a set of resource types. */
interface EngineOwner {
  initializeEngine?(resourceTypes: Set<string>): unknown;
}

/**
 * Validates templates one at a time through one plugin instance. The plugin rebuilds its engine
 * (~1.7 s) whenever a template brings a resource type the engine was not built for, and then only for
 * that template's types: one by one, templates of different stacks would rebuild it again and again.
 * This keeps the union of every type seen and rebuilds for the union, so the engine is built a few
 * times per validation, as the types first appear. The default rules it loads are chosen by type and
 * only judge resources of their types, so a wider engine gives the same diagnostics.
 */
export class TemplateValidator {
  private readonly types = new Set<string>();

  constructor(
    private readonly plugin: CloudFormationValidatePlugin,
    private readonly appConstruct?: IConstruct,
  ) {}

  public validate(job: StackTemplateJob): PolicyValidationPluginReport {
    const fresh = typesOf(job.templatePath).filter((type) => !this.types.has(type));
    if (fresh.length > 0) {
      for (const type of fresh) this.types.add(type);
      (this.plugin as unknown as EngineOwner).initializeEngine?.(new Set(this.types));
    }
    const context: IPolicyValidationContext = {
      templatePaths: [job.templatePath],
      stackTemplates: [job],
      accountId: job.accountId,
      region: job.region,
      appConstruct: this.appConstruct as IConstruct,
    };
    return this.plugin.validate(context);
  }
}

/** The resource types of one template; none when it cannot be read (the plugin then reports why). */
function typesOf(templatePath: string): string[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as {
      Resources?: Record<string, unknown>;
    };
    const types = new Set<string>();
    for (const resource of Object.values(parsed?.Resources ?? {})) {
      const type = (resource as { Type?: unknown } | null)?.Type;
      if (typeof type === 'string') types.add(type);
    }
    return [...types];
  } catch {
    return [];
  }
}
