import { createServer, type Server } from 'https';
import { gunzipSync } from 'zlib';
import { listenOnLoopback } from '../../../helpers/loopback';
import type { ServerIdentity } from './certificates';

/** What the test monitor does with one request. */
export type MonitorAction =
  { readonly status: number; readonly headers?: Record<string, string> } | 'reset' | 'hang';

/** Decides the action from the request's position and its decoded NDJSON. */
export type MonitorBehaviour = (request: { index: number; bytes: number; ids: string[] }) => MonitorAction;

export const TEST_TOKEN = 'test-bearer-token';

/** A real HTTPS monitor on 127.0.0.1 that counts event IDs by what it answered. */
export interface TestMonitor {
  readonly url: string;
  /** Requests whose headers and body were read (a refused TLS handshake never gets here). */
  readonly requests: number;
  /** Every ID the monitor acknowledged with a 2xx, once per acknowledgment. */
  readonly acknowledged: string[];
  /** Uncompressed NDJSON bytes of each request. */
  readonly bodySizes: number[];
  /** Requests whose wire headers were not as docs/monitor-api.md says. */
  readonly headerProblems: string[];
  close(): Promise<void>;
}

export async function startMonitor(
  identity: ServerIdentity,
  behaviour: MonitorBehaviour,
): Promise<TestMonitor> {
  const state = {
    requests: 0,
    acknowledged: [] as string[],
    bodySizes: [] as number[],
    headerProblems: [] as string[],
  };
  const server: Server = createServer(
    { key: identity.key, cert: identity.cert, minVersion: 'TLSv1.2' },
    (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const index = state.requests++;
        const expected: Record<string, string | undefined> = {
          'content-type': 'application/x-ndjson',
          'content-encoding': 'gzip',
          authorization: `Bearer ${TEST_TOKEN}`,
        };
        for (const [header, value] of Object.entries(expected)) {
          if (request.headers[header] !== value || request.method !== 'POST') {
            state.headerProblems.push(`${request.method} ${header}: ${request.headers[header]}`);
          }
        }
        const body = gunzipSync(Buffer.concat(chunks));
        const ids = body
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => (JSON.parse(line) as { id: string }).id);
        state.bodySizes.push(body.length);
        const action = behaviour({ index, bytes: body.length, ids });
        if (action === 'reset') {
          request.socket.destroy();
        } else if (action !== 'hang') {
          if (action.status >= 200 && action.status < 300) {
            state.acknowledged.push(...ids);
          }
          response.writeHead(action.status, action.headers).end();
        }
      });
    },
  );
  const { port, close } = await listenOnLoopback(server);
  return {
    url: `https://127.0.0.1:${port}/ingest`,
    get requests() {
      return state.requests;
    },
    acknowledged: state.acknowledged,
    bodySizes: state.bodySizes,
    headerProblems: state.headerProblems,
    close,
  };
}

export const always =
  (action: MonitorAction): MonitorBehaviour =>
  () =>
    action;

/** The given actions for the first requests, then 200. */
export const sequence =
  (...actions: MonitorAction[]): MonitorBehaviour =>
  ({ index }) =>
    actions[index] ?? { status: 200 };
