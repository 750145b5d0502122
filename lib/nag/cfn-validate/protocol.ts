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

/** Slots of the shared counters: the next template to take, templates done, workers ended. */
export const COUNTER = { next: 0, done: 1, exited: 2 } as const;

/** What the main thread gives each worker. */
export interface WorkerTask {
  readonly jobs: readonly StackTemplateJob[];
  /** Every resource type of every template: the engine is built once for all of them. */
  readonly resourceTypes: readonly string[];
  readonly counters: Int32Array;
  readonly port: MessagePort;
}

/** A template's report, or the error that kept the worker from giving one (the main thread retries it). */
export interface WorkerMessage {
  readonly index: number;
  readonly report?: PolicyValidationPluginReport;
  readonly error?: string;
}

/** One template through the plugin, in the context CDK would give it (the app construct stays on the main thread). */
export function validateOne(
  plugin: CloudFormationValidatePlugin,
  job: StackTemplateJob,
  appConstruct?: IConstruct,
): PolicyValidationPluginReport {
  const context: IPolicyValidationContext = {
    templatePaths: [job.templatePath],
    stackTemplates: [job],
    accountId: job.accountId,
    region: job.region,
    appConstruct: appConstruct as IConstruct,
  };
  return plugin.validate(context);
}
