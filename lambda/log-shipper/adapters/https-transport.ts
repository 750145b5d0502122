import { Agent, request } from 'https';
import type { PostResult, Transport } from '../deliver';

export interface HttpsTransportOptions {
  /** The monitor's ingest URL; must be https. */
  readonly url: URL;
  /** Bearer token. */
  readonly token: string;
  /**
   * Certificate authorities to trust instead of Node's bundled ones (tests, `clover ship --ca`).
   * Certificate validation stays on either way.
   * @default Node's bundled CAs
   */
  readonly ca?: string | Buffer;
}

/** POSTs gzip NDJSON over HTTPS with TLS 1.2 or newer, certificate validation on, and keep-alive. */
export function httpsTransport(options: HttpsTransportOptions): Transport {
  if (options.url.protocol !== 'https:') {
    throw new Error(`ingest URL ${options.url.href} is not https; the monitor must be reached over TLS`);
  }
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 4,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  });
  const headers = {
    'Content-Type': 'application/x-ndjson',
    'Content-Encoding': 'gzip',
    Authorization: `Bearer ${options.token}`,
    'User-Agent': 'clover-log-shipper/1',
  };
  return {
    post: (body, timeoutMs) =>
      new Promise<PostResult>((resolve) => {
        let settled = false;
        const settle = (result: PostResult) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(result);
          }
        };
        const failed = (error: NodeJS.ErrnoException) =>
          settle({ error: error.code ?? 'ERROR', detail: error.message.slice(0, 200) });
        const outgoing = request(
          options.url,
          { method: 'POST', agent, headers: { ...headers, 'Content-Length': body.length } },
          (response) => {
            // Drain the body (never logged: it may echo content) so the socket can be reused.
            response.resume();
            response.on('error', failed);
            response.on('end', () => {
              const retryAfter = response.headers['retry-after'];
              settle({
                status: response.statusCode ?? 0,
                ...(retryAfter !== undefined ? { retryAfter } : {}),
              });
            });
          },
        );
        const timer = setTimeout(() => {
          settle({ error: 'REQUEST_TIMEOUT' });
          outgoing.destroy();
        }, timeoutMs);
        outgoing.on('error', failed);
        outgoing.end(body);
      }),
    close: () => agent.destroy(),
  };
}
