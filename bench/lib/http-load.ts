import http from 'node:http';

export type Answer = { status: number; body: string };

/** One HTTP request to 127.0.0.1:`port` with `host` as Host; a new connection unless `agent` keeps one. */
export function httpRequest(options: {
  port: number;
  host: string;
  method?: string;
  path?: string;
  body?: string;
  agent?: http.Agent | false;
  timeoutMs?: number;
}): Promise<Answer> {
  const { port, host, method = 'GET', path = '/', body, agent = false, timeoutMs = 30_000 } = options;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        timeout: timeoutMs,
        headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

export type LoadStats = {
  sent: number;
  ok: number;
  failed: number;
  /** When each failure happened (ms since the epoch) and what it was. */
  failures: { at: number; what: string }[];
};

/** How often each kind of failure happened, most frequent first. */
export function failureKinds(failures: LoadStats['failures']): [string, number][] {
  const counts = new Map<string, number>();
  for (const { what } of failures) counts.set(what, (counts.get(what) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/**
 * `clients` loops, each sending its requests one after the other (on one kept-alive connection with
 * `keepAlive`, else a new connection per request), counting every answer that is not 200 with an
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
  const stats: LoadStats = { sent: 0, ok: 0, failed: 0, failures: [] };
  let stopped = false;
  const payload = options.method === 'POST' ? JSON.stringify({ order: 'x'.repeat(200) }) : undefined;
  const loop = async () => {
    const agent = options.keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
    while (!stopped) {
      stats.sent++;
      try {
        const answer = await httpRequest({ ...options, agent, body: payload });
        if (answer.status === 200 && options.accept(answer.body)) stats.ok++;
        else {
          stats.failed++;
          stats.failures.push({ at: Date.now(), what: `${answer.status} ${answer.body.slice(0, 120)}` });
        }
      } catch (error) {
        stats.failed++;
        stats.failures.push({ at: Date.now(), what: String(error) });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (agent) agent.destroy();
  };
  const running = Array.from({ length: options.clients }, loop);
  return {
    stats,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
      return stats;
    },
  };
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
