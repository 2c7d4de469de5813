import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsResponse } from './metrics-response';

export type MetricsAddress = { host: string; port: number };

/**
 * A tiny HTTP server of its own serving GET /metrics on `address` (the worker has no other, and the web
 * server's may be public). RISE_METRICS_TOKEN, when set, is required here too.
 */
export async function startMetricsListener(options: {
  address: MetricsAddress;
  token: string | undefined;
  log: (line: string) => void;
}) {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: scrape /metrics\n');
      return;
    }
    metricsResponse(request.headers.authorization, { token: options.token, dedicatedListener: true })
      .then(({ status, headers, body }) => response.writeHead(status, headers).end(body))
      .catch((error: unknown) => {
        options.log(`metrics: ${error instanceof Error ? error.message : error}`);
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new Error(
          `metrics: cannot listen on ${options.address.host}:${options.address.port}: ${error.message}`,
        ),
      ),
    );
    server.listen(options.address.port, options.address.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  options.log(`metrics on http://${formatHost(options.address.host)}:${port}/metrics`);
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const formatHost = (host: string) => (host.includes(':') ? `[${host}]` : host);
