import type { Server } from 'https';
import type { AddressInfo, Socket } from 'net';

/**
 * Starts `server` on 127.0.0.1 (a free port) and returns the port and a close
 * that also ends open keep-alive sockets, so a test never waits on a client.
 * Refused TLS handshakes are the point of some tests, not server errors.
 */
export async function listenOnLoopback(
  server: Server,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
