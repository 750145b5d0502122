import { ChildProcess, spawn } from 'child_process';
import * as dgram from 'dgram';
import * as http from 'http';
import * as readline from 'readline';
import { APPLIANCE_FILES } from '../../../../lib/constructs/security-gateway/appliance';

/** Interpreter for the appliance tests; CLOVER_APPLIANCE_PYTHON can point at e.g. a Python 3.9. */
export const PYTHON = process.env.CLOVER_APPLIANCE_PYTHON ?? 'python3';
const WAIT_MS = 10_000;

export type Line = Record<string, unknown>;

/** Lines of one output stream, parsed as JSON where possible, with a way to wait for one. */
class LineLog {
  readonly lines: Line[] = [];
  private readonly waiters: Array<{ predicate: (line: Line) => boolean; resolve: (line: Line) => void }> = [];

  constructor(stream: NodeJS.ReadableStream) {
    readline.createInterface({ input: stream }).on('line', (text) => {
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        line = { text };
      }
      this.lines.push(line);
      for (const waiter of this.waiters.filter((candidate) => candidate.predicate(line))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    });
  }

  /** The first line (already seen or still to come) that matches. */
  waitFor(predicate: (line: Line) => boolean, what: string): Promise<Line> {
    const seen = this.lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return withTimeout(
      new Promise<Line>((resolve) => this.waiters.push({ predicate, resolve })),
      `appliance line: ${what}`,
    );
  }
}

export interface RunningAppliance {
  /** The `ready` diagnostic: bound ports, log group, logs endpoint. */
  readonly ready: Line;
  readonly child: ChildProcess;
  readonly genevePort: number;
  readonly healthPort: number;
  /** Flow lines echoed to stdout (no log group, or while shipping fails). */
  readonly stdout: LineLog;
  /** JSON diagnostics. */
  readonly stderr: LineLog;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Environment of the process (beside PATH), as the systemd unit's EnvironmentFile would set it. */
  readonly env?: Record<string, string>;
  /** Serve health on an ephemeral port; false leaves the port to `env` and the flags. @default true */
  readonly ephemeralHealthPort?: boolean;
}

/** Starts the pass-through on 127.0.0.1 (ephemeral GENEVE port); resolves once it reports `ready`. */
export async function startAppliance(args: string[], options: StartOptions = {}): Promise<RunningAppliance> {
  const ports = [
    '--geneve-port',
    '0',
    ...(options.ephemeralHealthPort === false ? [] : ['--health-port', '0']),
  ];
  const child = spawn(PYTHON, [APPLIANCE_FILES.program, '--bind-address', '127.0.0.1', ...ports, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  const stdout = new LineLog(child.stdout!);
  const stderr = new LineLog(child.stderr!);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const ready = await Promise.race([
      stderr.waitFor((line) => line.event === 'ready', 'ready'),
      exited.then(() => {
        throw new Error(`appliance exited early: ${JSON.stringify(stderr.lines)}`);
      }),
    ]);
    return {
      ready,
      child,
      genevePort: ready.genevePort as number,
      healthPort: ready.healthPort as number,
      stdout,
      stderr,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A UDP socket standing in for the load balancer: sends GENEVE, collects what comes back. */
export class FakeLoadBalancer {
  readonly received: Array<{ message: Buffer; port: number }> = [];
  private readonly socket = dgram.createSocket('udp4');
  private waiting?: () => void;

  async bind(): Promise<number> {
    this.socket.on('message', (message, remote) => {
      this.received.push({ message, port: remote.port });
      this.waiting?.();
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return this.socket.address().port;
  }

  /** Sends each datagram in order, then waits for the next one to come back. */
  async exchange(port: number, ...datagrams: Buffer[]): Promise<{ message: Buffer; port: number }> {
    const already = this.received.length;
    const arrived = new Promise<void>((resolve) => {
      this.waiting = () => {
        if (this.received.length > already) resolve();
      };
    });
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) =>
        this.socket.send(datagram, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
      );
    }
    await withTimeout(arrived, 'a datagram back from the appliance');
    return this.received[already];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

export function getHealth(port: number, path = '/health'): Promise<{ status: number; body: Line }> {
  return withTimeout(
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let body: Line = { text };
            try {
              body = JSON.parse(text) as Line;
            } catch {
              // not JSON (e.g. the 404 page)
            }
            resolve({ status: response.statusCode ?? 0, body });
          });
        })
        .on('error', reject);
    }),
    `GET ${path}`,
  );
}

/** Polls `check` until it returns a value (bounded), for state that changes asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
