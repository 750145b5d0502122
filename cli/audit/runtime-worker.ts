/**
 * The runtime flow proof in a worker thread, beside the rest of the audit.
 *
 * The proof (lib/audit/runtime) is about half of the audit's CPU time on a
 * large cloud assembly and depends only on the templates and `today`, and for
 * its findings on the stacks' construct paths and acknowledgments: not on the
 * rules (`--rules` modules add rules the proof never runs), the packs or the
 * inventories. So `clover audit` starts a worker as soon as it knows its inputs
 * are large; the worker reads the stacks and templates itself through the same
 * code (readInputs with `templatesOnly`, indexStacks) while the main thread reads
 * the inputs too, proves, and sends back plain data while the main thread runs
 * CloverChecks, the packs and the inventories. The main thread then gives the
 * proof's breaches their construct paths and acknowledgments from its own stacks,
 * as proveRuntimeFlows does in-process.
 *
 * In-process instead, with the same report: for small inputs (below
 * WORKER_THRESHOLD_BYTES of templates, where starting a thread and reading the
 * inputs twice costs more than it saves), when worker threads are unavailable,
 * whenever the worker fails without an answer (it could not start, load the
 * code, or ran out of memory), and when it read other stacks than the main
 * thread (the inputs changed in between). An error the proof itself throws in the
 * worker is thrown again on the main thread, as it would be in-process: an
 * AuditInputError stays one (exit 2, one line), anything else keeps its
 * message, code and stack.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { AcknowledgedFinding, findAcknowledgment, Finding } from '../../lib/audit/engine';
import { AuditInputError } from './errors';
import type { AuditedStack } from './inputs';
import type { IndexOptions } from './indexes';
import type { RuntimeFlowRow } from './inventory/runtime';
import type { RuntimeOutcome } from './runtime-proof';

/**
 * Template bytes from which the proof runs in a worker thread. A 64-enclave
 * assembly holds ~19 MB of templates (its proof ~2 CPU-s), a 256-enclave one
 * ~76 MB (~7-10 CPU-s); a handful of stacks holds well under 1 MB, where the
 * thread's start (loading the CLI again, ~0.3 s) and the second read of the
 * templates cost more than the proof.
 */
export const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;

/**
 * Lets the worker's proof go first: raises the calling thread's nice value to `nice` (lowering its
 * scheduling priority; never the other way: a thread already nicer keeps its value). The proof is the
 * audit's critical path (256 enclaves: the worker answered ~3 s after the main thread had done all
 * else); on a machine with few cores the two threads and V8's garbage-collection helpers compete, and
 * the kernel then runs the proof first. The worker must already run: a thread takes the nice value of
 * the thread that creates it (so do threads and child processes this thread starts later, such as
 * libuv's pool, created on first use). Linux only: there `setpriority` names the calling thread;
 * elsewhere it names the process, and would slow the proof with it. Without CAP_SYS_NICE (or an
 * RLIMIT_NICE that allows it) a process cannot take its priority back, so the thread keeps the value
 * to the command's end. Returns the thread's nice value afterwards, or undefined when it did not change it.
 */
export function yieldToProof(nice: number, platform: NodeJS.Platform = process.platform): number | undefined {
  if (platform !== 'linux') return undefined;
  try {
    if (os.getPriority(0) >= nice) return undefined;
    os.setPriority(0, nice);
    return os.getPriority(0);
  } catch {
    // Not permitted (a sandbox without setpriority): the audit runs as it is.
    return undefined;
  }
}

/** The worker's young generation in MB (V8's default here is 48). */
const WORKER_YOUNG_GENERATION_MB = 384;

/** What the worker needs to read the inputs and prove exactly as the main thread would. */
export interface RuntimeProofJob extends IndexOptions {
  readonly inputs: readonly string[];
  readonly region?: string;
}

/**
 * A breach the proof found, before construct paths and acknowledgments (the worker does not read the
 * metadata that holds them): the main thread adds both, as proveRuntimeFlows would have.
 */
interface SentBreach {
  readonly finding: Finding;
  /** Position of the finding's stack, in input order. */
  readonly stack: number;
}

export interface SentError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: unknown;
  readonly input: boolean;
}

type Reply =
  | {
      readonly ok: true;
      /** The stacks the worker read, to check they are the main thread's. */
      readonly stacks: readonly string[];
      /** Every breach, in proof order. */
      readonly breaches: readonly SentBreach[];
      readonly rows: readonly RuntimeFlowRow[];
      readonly note: string | null;
    }
  | {
      readonly ok: false;
      readonly error: SentError;
      /** The stacks read before the error, if it came after reading. */
      readonly stacks?: readonly string[];
    };

/** How the two threads name a stack to check they read the same ones. */
const stackKey = (stack: AuditedStack) => `${stack.name}\u0000${stack.templatePath}`;

function debug(message: string): void {
  if (process.env.CLOVER_DEBUG === '1') process.stderr.write(`clover: ${message}\n`);
}

/**
 * The code a worker runs: the module that exports `serveRuntimeProofWorker`. From the
 * esbuild bundle (dist/cli/main.js: this module is inside it) that is the bundle itself;
 * from the TypeScript sources it is cli/main.ts, after the TypeScript loader (a worker
 * does not inherit the parent's require hooks).
 */
function workerSource(): string | undefined {
  const load = (file: string) => `require(${JSON.stringify(file)}).serveRuntimeProofWorker()`;
  if (!__filename.endsWith('.ts')) return load(__filename);
  const register = path.join(__dirname, '..', '..', 'scripts', 'register-ts.js');
  const main = path.join(__dirname, '..', 'main.ts');
  if (!fs.existsSync(register) || !fs.existsSync(main)) return undefined;
  return `require(${JSON.stringify(register)});\n${load(main)}`;
}

/** A runtime flow proof under way in a worker thread. */
export class RuntimeProofWorker {
  private readonly reply: Promise<Reply | undefined>;
  /** When the worker started and when it answered (ms, this thread's clock), for CLOVER_DEBUG. */
  private readonly started = performance.now();
  private answered?: number;

  private constructor(
    private readonly worker: Worker,
    private readonly today: string,
  ) {
    // Resolves to undefined when the worker ends without an answer: the proof then runs in-process.
    this.reply = new Promise((resolve) => {
      let answered = false;
      const answer = (reply: Reply | undefined, why?: string) => {
        if (answered) return;
        answered = true;
        if (why) debug(`the runtime proof's worker thread ${why}; proving in-process`);
        resolve(reply);
      };
      worker.once('message', (reply: Reply) => {
        this.answered = performance.now();
        answer(reply);
      });
      worker.once('error', (error) => answer(undefined, `failed (${error.message})`));
      worker.once('exit', (code) => answer(undefined, `exited (${code}) without an answer`));
    });
  }

  /** Starts a worker proving the inputs of `job`, or undefined when worker threads are not available. */
  static start(job: RuntimeProofJob): RuntimeProofWorker | undefined {
    const source = workerSource();
    if (!source) {
      debug(`cannot start a worker thread (no TypeScript loader beside ${__filename}); proving in-process`);
      return undefined;
    }
    try {
      const worker = new Worker(source, {
        eval: true,
        workerData: job,
        // The proof keeps what it builds (flows, requests, verdicts) to the end: in a larger young
        // generation fewer of those are copied by scavenges (256 enclaves: ~1.16 GB peak instead of ~0.96).
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      return new RuntimeProofWorker(worker, job.today);
    } catch (error) {
      debug(`cannot start a worker thread (${(error as Error).message}); proving in-process`);
      return undefined;
    }
  }

  /**
   * The proof's outcome for `stacks` (the main thread's, in input order), or undefined
   * when the worker gave no answer. Throws what the proof threw.
   */
  async outcome(stacks: readonly AuditedStack[]): Promise<RuntimeOutcome | undefined> {
    const asked = performance.now();
    const reply = await this.reply;
    if (!reply) return undefined;
    if (this.answered !== undefined)
      debug(
        `the runtime proof's worker thread answered ${Math.round(this.answered - this.started)} ms after it started; this thread asked at ${Math.round(asked - this.started)} ms`,
      );
    const same = (read: readonly string[]) =>
      read.length === stacks.length && read.every((key, i) => key === stackKey(stacks[i]));
    // An error on the stacks this thread read is the proof's error; on others, the proof runs here.
    if (!reply.ok && reply.stacks && same(reply.stacks)) throw errorOf(reply.error);
    if (!reply.ok) {
      debug(
        `the runtime proof's worker thread failed before proving these stacks (${reply.error.message}); proving in-process`,
      );
      return undefined;
    }
    if (!same(reply.stacks)) {
      // The inputs changed between the two reads, or an input the worker could read is a problem here
      // (the worker does not hash the template files no stack uses): prove the stacks this thread read.
      debug("the runtime proof's worker thread read other stacks; proving in-process");
      return undefined;
    }
    // As proveRuntimeFlows ends: each breach with its construct path, waived by an acknowledgment or a finding.
    const findings: Finding[] = [];
    const acknowledged: AcknowledgedFinding[] = [];
    for (const { finding: sent, stack: position } of reply.breaches) {
      const stack = stacks[position];
      const path = stack.paths.get(sent.resource);
      const finding: Finding = {
        rule: sent.rule,
        severity: sent.severity,
        stack: sent.stack,
        resource: sent.resource,
        path,
        message: sent.message,
      };
      const ack = findAcknowledgment(stack.acknowledgments, finding.rule, path, this.today);
      if (ack) acknowledged.push({ finding, acknowledgment: ack });
      else findings.push(finding);
    }
    return { findings, acknowledged, rows: reply.rows, note: reply.note };
  }

  /** Stops the worker if it is still running (the audit failed before it needed the proof). */
  dispose(): void {
    void this.worker.terminate();
  }
}

/** The error the worker sent, as the main thread throws it (exported for tests). */
export function errorOf(sent: SentError): Error {
  if (sent.input) return new AuditInputError(sent.message);
  const error = new Error(sent.message) as Error & { code?: unknown };
  error.name = sent.name;
  if (sent.stack !== undefined) error.stack = sent.stack;
  if (sent.code !== undefined) error.code = sent.code;
  return error;
}

/** An error as the worker sends it: plain data (exported for tests). */
export function sentError(error: unknown): SentError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), input: false };
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    code: (error as NodeJS.ErrnoException).code,
    input: error instanceof AuditInputError,
  };
}

/** The worker thread's side: reads the inputs, proves, and posts the outcome (or the error) once. */
export async function serveRuntimeProofWorker(): Promise<void> {
  const { parentPort, workerData } = await import('worker_threads');
  if (!parentPort) throw new Error('serveRuntimeProofWorker runs in a worker thread');
  const job = workerData as RuntimeProofJob;
  let reply: Reply;
  let read: string[] | undefined;
  try {
    const { readInputs } = await import('./inputs');
    const { indexStacks } = await import('./indexes');
    const { proveRuntime } = await import('./runtime-proof');
    // The main thread's stacks and templates, without what the proof does not read until its findings:
    // no digests, and no metadata (construct paths and acknowledgments, added by the main thread).
    const { inputs } = readInputs(job.inputs, { region: job.region, templatesOnly: true });
    const stacks = inputs.flatMap((input) => input.stacks);
    // Findings name their stack: with two stacks of one name, the main thread proves (before `read`, so it does not throw).
    const positions = new Map(stacks.map((stack, position) => [stack.name, position]));
    if (positions.size !== stacks.length) throw new Error('two stacks have the same name');
    read = stacks.map(stackKey);
    const outcome = await proveRuntime(stacks, indexStacks(stacks, job), job.today);
    reply = {
      ok: true,
      stacks: read,
      breaches: outcome.findings.map((finding) => ({ finding, stack: positions.get(finding.stack)! })),
      rows: outcome.rows,
      note: outcome.note,
    };
  } catch (error) {
    reply = { ok: false, error: sentError(error), stacks: read };
  }
  parentPort.postMessage(reply);
}
