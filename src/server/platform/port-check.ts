import { createServer } from 'node:net';

/**
 * Throws `message` when `host:port` cannot be bound (something listens there, even another Caddy
 * with SO_REUSEPORT: a socket without that option cannot share its port). Other errors pass through.
 */
export function assertPortFree(port: number, host: string, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(message) : error),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}
