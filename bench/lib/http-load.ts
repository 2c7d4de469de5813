import http from 'node:http';
import { httpRequest, type LoadStats, loadStats, startLoad as startClients } from '../../test/http-load';

/** How often each kind of failure happened, most frequent first. */
export function failureKinds(failures: LoadStats['failures']): [string, number][] {
  const counts = new Map<string, number>();
  for (const { what } of failures) counts.set(what, (counts.get(what) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/**
 * `clients` loops, each sending its requests one after the other (on one kept-alive connection with
 * `keepAlive`, else a new connection per request); `stop` counts every answer that is not 200 with an
 * accepted body as a failure.
 */
export function startLoad(options: {
  port: number;
  host: string;
  clients: number;
  keepAlive: boolean;
  method?: 'GET' | 'POST';
  accept: (body: string) => boolean;
}) {
  const { port, host, method } = options;
  const body = method === 'POST' ? JSON.stringify({ order: 'x'.repeat(200) }) : undefined;
  const load = startClients({
    clients: options.clients,
    keepAlive: options.keepAlive,
    pauseMs: 5,
    send: (agent) => httpRequest({ port, host, method, body, agent }),
  });
  return { stop: async () => loadStats(await load.stop(), options.accept) };
}

/** Requests per second `clients` kept-alive loops reach against 127.0.0.1:`port` in `durationMs`. */
export async function throughput(options: {
  port: number;
  host: string;
  clients: number;
  durationMs: number;
}): Promise<{ perSecond: number; failed: number }> {
  let done = 0;
  let failed = 0;
  const end = Date.now() + options.durationMs;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (Date.now() < end) {
        try {
          const answer = await httpRequest({ port: options.port, host: options.host, agent });
          if (answer.status === 200) done++;
          else failed++;
        } catch {
          failed++;
        }
      }
      agent.destroy();
    }),
  );
  return { perSecond: (done * 1000) / (Date.now() - started), failed };
}
