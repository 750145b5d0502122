// Log shipper benchmark (not part of npm test):
//   npx ts-node --transpile-only bench/shipper/run.ts [rounds]
// Measures, on the same generated 1 MB flow-log payloads: the floor (base64
// decode + gunzip + JSON.parse, then NDJSON + gzip level 1), the shipper's full
// path with HTTPS delivery to a local sink, peak RSS growth for one payload in
// a fresh process, and the minified bundle size. Results: docs/BENCHMARKS.md.
import { execFileSync } from 'child_process';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';
import { gunzipSync, gzipSync } from 'zlib';
import { httpsTransport } from '../../lambda/log-shipper/adapters/https-transport';
import {
  largeFlowLogPayload,
  makePayload,
  flowLogMessages,
  type GeneratedPayload,
} from '../../test/fixtures/shipper/flow-logs';
import { shipOnce, startSink } from './harness';

const ROOT = join(__dirname, '..', '..');
const PAYLOADS = 4;
const MEMORY_RUNS = 5;
const rounds = Number(process.argv[2] ?? 5);

interface CloudWatchPayload {
  logGroup: string;
  logStream: string;
  logEvents: Array<{ id: string; timestamp: number; message: string }>;
}

/** The least any shipper must do: decode, parse, write the NDJSON, gzip it at level 1. */
function floor(base64: string): number {
  const payload = JSON.parse(gunzipSync(Buffer.from(base64, 'base64')).toString('utf8')) as CloudWatchPayload;
  const lines = payload.logEvents.map((event) =>
    JSON.stringify({
      id: event.id,
      timestamp: event.timestamp,
      enclave: 'dublin-1',
      logGroup: payload.logGroup,
      logStream: payload.logStream,
      message: event.message,
    }),
  );
  return gzipSync(`${lines.join('\n')}\n`, { level: 1 }).length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function certificates(): { key: string; cert: string; caFile: string; ca: string } {
  const directory = mkdtempSync(join(tmpdir(), 'clover-bench-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: directory, stdio: 'pipe' });
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'key.pem');
  openssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'key.pem',
    '-sha256',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-out',
    'cert.pem',
  );
  const cert = readFileSync(join(directory, 'cert.pem'), 'utf8');
  return {
    key: readFileSync(join(directory, 'key.pem'), 'utf8'),
    cert,
    ca: cert,
    caFile: join(directory, 'cert.pem'),
  };
}

async function main(): Promise<void> {
  const payloads: GeneratedPayload[] = Array.from({ length: PAYLOADS }, (_, index) =>
    largeFlowLogPayload(1_000_000, index + 1),
  );
  const events = payloads.reduce((sum, payload) => sum + payload.ids.length, 0);
  const decompressed = payloads.reduce((sum, payload) => sum + payload.decompressedBytes, 0);
  const tls = certificates();
  const sink = await startSink(tls);
  const transport = httpsTransport({ url: sink.url, token: 'bench', ca: tls.ca });

  // Warm-up: JIT, TLS session, sink connection.
  floor(payloads[0].base64);
  await shipOnce(payloads[0].base64, sink.url, tls.ca, transport);

  const floorTimes: number[] = [];
  const shipperTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the two so background load on the shared machine hits both alike.
    let start = process.hrtime.bigint();
    for (const payload of payloads) {
      floor(payload.base64);
    }
    floorTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    for (const payload of payloads) {
      const result = await shipOnce(payload.base64, sink.url, tls.ca, transport);
      if (result.counters.delivered !== payload.ids.length) {
        throw new Error(`benchmark run lost events: ${JSON.stringify(result.counters)}`);
      }
    }
    shipperTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  transport.close();

  // Memory: a fresh process ships the largest payload once.
  const directory = mkdtempSync(join(tmpdir(), 'clover-bench-'));
  const largest = payloads.reduce((a, b) => (a.decompressedBytes >= b.decompressedBytes ? a : b));
  writeFileSync(join(directory, 'payload.b64'), largest.base64);
  writeFileSync(join(directory, 'payload.b64.small'), makePayload({ messages: flowLogMessages(50) }).base64);
  const memoryRun = (flags: string[]) =>
    (
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--expose-gc',
            ...flags,
            '-r',
            'ts-node/register/transpile-only',
            join(__dirname, 'memory.ts'),
            join(directory, 'payload.b64'),
            sink.url.href,
            tls.caFile,
          ],
          { cwd: ROOT, encoding: 'utf8' },
        ),
      ) as { idle: number; peak: number; growth: number }
    ).growth;
  const memorySeries = (flags: string[]) => {
    const growths = Array.from({ length: MEMORY_RUNS }, () => memoryRun(flags)).sort((a, b) => a - b);
    const ratio = (bytes: number) => +(bytes / largest.decompressedBytes).toFixed(2);
    return {
      flags: flags.join(' ') || '(none)',
      medianGrowth: median(growths),
      maxGrowth: growths[growths.length - 1],
      medianRatio: ratio(median(growths)),
      maxRatio: ratio(growths[growths.length - 1]),
    };
  };
  const memory = [memorySeries([]), memorySeries(['--max-semi-space-size=2'])];
  const sinkTotals = await sink.stop();

  const bundle = await build({
    entryPoints: [join(ROOT, 'lambda', 'log-shipper', 'index.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    external: ['@aws-sdk/*'],
    write: false,
  });
  const bundleBytes = bundle.outputFiles[0].contents.length;
  const bundleText = Buffer.from(bundle.outputFiles[0].contents).toString('utf8');

  const floorSeconds = median(floorTimes);
  const shipperSeconds = median(shipperTimes);
  const mb = (bytes: number) => bytes / 1e6;
  const results = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    payloads: PAYLOADS,
    rounds,
    base64BytesPerPayload: Math.round(
      payloads.reduce((sum, payload) => sum + payload.base64.length, 0) / PAYLOADS,
    ),
    decompressedBytesPerPayload: Math.round(decompressed / PAYLOADS),
    eventsPerPayload: Math.round(events / PAYLOADS),
    floor: {
      eventsPerSecond: Math.round(events / floorSeconds),
      mbPerSecond: +(mb(decompressed) / floorSeconds).toFixed(1),
    },
    shipper: {
      eventsPerSecond: Math.round(events / shipperSeconds),
      mbPerSecond: +(mb(decompressed) / shipperSeconds).toFixed(1),
    },
    ratio: +(floorSeconds / shipperSeconds).toFixed(2),
    perPayloadMs: {
      floor: Math.round((floorSeconds / PAYLOADS) * 1000),
      shipper: Math.round((shipperSeconds / PAYLOADS) * 1000),
    },
    memory: { decompressedBytes: largest.decompressedBytes, runs: MEMORY_RUNS, series: memory },
    bundle: { bytes: bundleBytes, containsCdk: /aws-cdk-lib|constructs/.test(bundleText) },
    sink: sinkTotals,
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
