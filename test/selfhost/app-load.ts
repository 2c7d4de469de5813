import http from 'node:http';
import { getThroughProxy } from '../http-through-proxy';

export type LoadFailure = { atMs: number; reason: string };

export type LoadResult = {
  ok: number;
  failed: number;
  /** The first 200 failures. */
  failures: LoadFailure[];
  /** When the first and the last failure happened (ms since start), or null without failures. */
  failureWindow: { fromMs: number; toMs: number } | null;
  /** Count of each failure reason. */
  reasons: Record<string, number>;
  bodies: Record<string, number>;
  durationMs: number;
};

/**
 * Keep-alive clients that never retry, requesting `host` through the proxy on 127.0.0.1:`port` until
 * stop() is called. Any answer but 200, and any connection error, is a failure, with the time it
 * happened (ms since start) so a report can line it up with what else went on.
 */
export function startAppLoad(options: { port: number; host: string; clients: number }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients });
  const started = Date.now();
  const result: LoadResult = {
    ok: 0,
    failed: 0,
    failures: [],
    failureWindow: null,
    reasons: {},
    bodies: {},
    durationMs: 0,
  };
  let stopping = false;
  const fail = (reason: string) => {
    result.failed++;
    result.reasons[reason] = (result.reasons[reason] ?? 0) + 1;
    const atMs = Date.now() - started;
    if (result.failures.length < 200) result.failures.push({ atMs, reason });
    result.failureWindow = { fromMs: result.failureWindow?.fromMs ?? atMs, toMs: atMs };
  };
  const client = async () => {
    while (!stopping) {
      try {
        const response = await getThroughProxy(options.port, options.host, { agent });
        if (response.status === 200) {
          result.ok++;
          const body = response.body.trim();
          result.bodies[body] = (result.bodies[body] ?? 0) + 1;
        } else {
          // The body tells which proxy answered (the edge's 502 explains itself, Caddy's is empty).
          const said = response.body.trim().slice(0, 80);
          fail(`HTTP ${response.status}${said ? ` "${said}"` : ' (empty body)'}`);
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        fail(code ? `${code}: ${(error as Error).message}` : (error as Error).message);
      }
    }
  };
  const running = Promise.all(Array.from({ length: options.clients }, client));
  return {
    startedAt: started,
    /** Requests so far (ok + failed). */
    count: () => result.ok + result.failed,
    async stop(): Promise<LoadResult> {
      stopping = true;
      await running;
      agent.destroy();
      result.durationMs = Date.now() - started;
      return result;
    },
  };
}
