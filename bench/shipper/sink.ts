// A local monitor for the benchmark: accepts HTTPS POSTs on 127.0.0.1 and only
// counts requests and bytes. Run as a child process so its work does not share
// the shipper's event loop. Prints its port, then its totals when stdin closes.
import { createServer } from 'https';
import type { AddressInfo } from 'net';

const [key, cert] = [process.env.SINK_KEY as string, process.env.SINK_CERT as string];
let requests = 0;
let bytes = 0;
const server = createServer({ key, cert, keepAliveTimeout: 60_000 }, (request, response) => {
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    requests++;
    response.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify({ requests, bytes })}\n`);
  process.exit(0);
});
