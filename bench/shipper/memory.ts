// Child process of the benchmark: peak RSS growth for one payload. Reads the
// payload (base64 text) from a file, settles, resets the kernel's peak-RSS mark
// (/proc/self/clear_refs), ships once, and reports VmHWM minus the idle RSS.
import { readFileSync, writeFileSync } from 'fs';
import { httpsTransport } from '../../lambda/log-shipper/adapters/https-transport';
import { shipOnce } from './harness';

const procStatus = (field: string): number =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;

async function main(): Promise<void> {
  const [payloadFile, url, caFile] = process.argv.slice(2);
  const base64 = readFileSync(payloadFile, 'utf8');
  const ca = readFileSync(caFile, 'utf8');
  const transport = httpsTransport({ url: new URL(url), token: 'bench', ca });
  const gc = (globalThis as { gc?: () => void }).gc;
  // Warm the modules and the connection with a tiny payload, then settle.
  await shipOnce(readFileSync(`${payloadFile}.small`, 'utf8'), new URL(url), ca, transport);
  for (let round = 0; round < 3; round++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const idle = procStatus('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5');
  const result = await shipOnce(base64, new URL(url), ca, transport);
  const peak = procStatus('VmHWM');
  transport.close();
  process.stdout.write(
    `${JSON.stringify({ idle, peak, growth: peak - idle, delivered: result.counters.delivered })}\n`,
  );
}

void main();
