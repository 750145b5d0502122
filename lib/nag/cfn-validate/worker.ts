/**
 * A worker thread of ParallelCloudFormationValidatePlugin: builds aws-cdk-lib's validation engine once,
 * then takes templates from the shared queue until it is empty, posting each template's report.
 */
import { workerData } from 'worker_threads';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { COUNTER, validateOne, WorkerMessage, WorkerTask } from './protocol';

interface EngineOwner {
  initializeEngine?(resourceTypes: Set<string>): unknown;
}

function run(task: WorkerTask): void {
  const { jobs, counters, port } = task;
  try {
    const plugin = new CloudFormationValidatePlugin();
    (plugin as unknown as EngineOwner).initializeEngine?.(new Set(task.resourceTypes));
    for (
      let i = Atomics.add(counters, COUNTER.next, 1);
      i < jobs.length;
      i = Atomics.add(counters, COUNTER.next, 1)
    ) {
      let message: WorkerMessage;
      try {
        message = { index: i, report: validateOne(plugin, jobs[i]) };
      } catch (error) {
        message = { index: i, error: (error as Error).message };
      }
      port.postMessage(message);
      Atomics.add(counters, COUNTER.done, 1);
      Atomics.notify(counters, COUNTER.done);
    }
  } finally {
    port.close();
    Atomics.add(counters, COUNTER.exited, 1);
    Atomics.notify(counters, COUNTER.done);
  }
}

if (workerData && (workerData as Partial<WorkerTask>).counters) run(workerData as WorkerTask);
