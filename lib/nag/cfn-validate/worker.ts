/**
 * A worker thread of ParallelCloudFormationValidatePlugin: takes templates from the shared queue as the
 * main thread adds them (stage by stage, as they are synthesized), posting each template's report, until
 * the queue is closed and empty.
 */
import { receiveMessageOnPort, workerData } from 'worker_threads';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import {
  claim,
  COUNTER,
  QueuedJob,
  StackTemplateJob,
  TemplateValidator,
  WorkerMessage,
  WorkerTask,
} from './protocol';

/** How long an idle worker sleeps before looking again (the main thread also wakes it). */
const IDLE_WAIT_MS = 1000;

function run(task: WorkerTask): void {
  const { counters, port } = task;
  const jobs: StackTemplateJob[] = [];
  const receive = () => {
    for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
      const { index, job } = received.message as QueuedJob;
      jobs[index] = job;
    }
  };
  try {
    const validator = new TemplateValidator(new CloudFormationValidatePlugin());
    for (;;) {
      const queued = Atomics.load(counters, COUNTER.queued);
      const index = claim(counters);
      if (index < 0) {
        if (Atomics.load(counters, COUNTER.closed) === 1) break;
        Atomics.wait(counters, COUNTER.queued, queued, IDLE_WAIT_MS);
        continue;
      }
      // Every job is posted before the queue count that covers it grows.
      if (jobs[index] === undefined) receive();
      let message: WorkerMessage;
      try {
        message = { index, report: validator.validate(jobs[index]) };
      } catch (error) {
        message = { index, error: (error as Error).message };
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
