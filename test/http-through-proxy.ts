import http from 'node:http';
import { startLoad } from './http-load';
import { waitFor } from './wait';

export type ProxyResponse = { status: number; body: string; headers: http.IncomingHttpHeaders };

/**
 * One request through the proxy on 127.0.0.1:`port` for virtual host `host` (node:http sends Host
 * as given; fetch would not). Without an agent each request uses a new connection.
 */
export function proxyRequest(
  port: number,
  options: { host: string; path?: string; method?: string; headers?: Record<string, string>; body?: string },
  agent?: http.Agent,
  timeoutMs = 15_000,
): Promise<ProxyResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        agent: agent ?? false,
        headers: { ...options.headers, host: options.host },
        timeout: timeoutMs,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(options.body);
  });
}

export const getThroughProxy = (
  port: number,
  host: string,
  options: { path?: string; agent?: http.Agent; headers?: Record<string, string> } = {},
) => proxyRequest(port, { host, path: options.path, headers: options.headers }, options.agent);

/**
 * Keep-alive clients that never retry, hammering one host until `until()` says stop (and at least
 * `minimum` requests went out), bounded by `maxMs`. Every non-200 or error counts as a failure.
 */
export async function loadLoop(options: {
  port: number;
  host: string;
  clients: number;
  minimum: number;
  maxMs: number;
  until: () => boolean;
}) {
  const load = startLoad({
    clients: options.clients,
    keepAlive: true,
    maxMs: options.maxMs,
    send: (agent) => getThroughProxy(options.port, options.host, { agent: agent || undefined }),
  });
  await waitFor(() => options.until() && load.samples.length >= options.minimum, {
    description: 'the load to be told to stop',
    timeoutMs: options.maxMs,
    intervalMs: 20,
  }).catch(() => undefined); // bounded by maxMs: what was sent by then is the result
  const stats = { ok: 0, failed: 0, failures: [] as string[], bodies: new Map<string, number>() };
  for (const { answer, error } of await load.stop()) {
    if (answer?.status === 200) {
      stats.ok++;
      const body = answer.body.trim();
      stats.bodies.set(body, (stats.bodies.get(body) ?? 0) + 1);
    } else {
      stats.failed++;
      stats.failures.push(answer ? `HTTP ${answer.status}` : String(error));
    }
  }
  return stats;
}
