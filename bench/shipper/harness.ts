import { spawn, type ChildProcess } from 'child_process';
import { join } from 'path';
import { httpsTransport } from '../../lambda/log-shipper/adapters/https-transport';
import type { ArchiveStore } from '../../lambda/log-shipper/archive';
import type { DeadLetterSink } from '../../lambda/log-shipper/deadletter';
import { runPipeline, type PipelineResult } from '../../lambda/log-shipper/pipeline';
import { Pseudonymiser } from '../../lambda/log-shipper/pseudonymise';

/** The benchmark's local monitor, in its own process. */
export interface Sink {
  readonly url: URL;
  readonly process: ChildProcess;
  stop(): Promise<{ requests: number; bytes: number }>;
}

export async function startSink(identity: { key: string; cert: string }): Promise<Sink> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'sink.ts')],
    {
      env: { ...process.env, SINK_KEY: identity.key, SINK_CERT: identity.cert },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  let buffer = '';
  child.stdout!.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      } else {
        lines.push(line);
      }
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : (waiting = resolve)));
  const port = await nextLine();
  return {
    url: new URL(`https://127.0.0.1:${port}/ingest`),
    process: child,
    stop: async () => {
      child.stdin!.end();
      return JSON.parse(await nextLine());
    },
  };
}

/** The archive in the benchmark: accepts and forgets (in Lambda it is an S3 PUT of the same gzip body). */
export const nullArchive: ArchiveStore = { putIfAbsent: async () => 'created' };
export const nullDeadLetters: DeadLetterSink = {
  sendEvents: async () => undefined,
  sendPayload: async () => undefined,
};

/** The shipper's full path on one payload, delivering to the sink. */
export async function shipOnce(
  base64: string,
  url: URL,
  ca: string,
  transport = httpsTransport({ url, token: 'bench', ca }),
): Promise<PipelineResult> {
  return runPipeline(
    { base64 },
    {
      enclave: 'dublin-1',
      account: '111111111111',
      pseudonymiser: new Pseudonymiser('k'.repeat(48)),
      archive: nullArchive,
      deadLetter: nullDeadLetters,
      transport,
      deadline: Date.now() + 60_000,
      maxRequestBytes: 5_000_000,
      requestTimeoutMs: 10_000,
    },
  );
}
