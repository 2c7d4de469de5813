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

/** One request of a load: when it started and ended (ms since the epoch), and its answer or error. */
export type LoadSample = { start: number; end: number; answer: Answer | null; error: string | null };

export type Load = {
  /** Every request so far, in the order they ended. */
  samples: LoadSample[];
  /** Ends each client after its request in flight; resolves to every sample. */
  stop: () => Promise<LoadSample[]>;
};

const now = () => performance.timeOrigin + performance.now();

/**
 * `clients` clients that never retry, each sending its requests one after the other with `send`: over
 * one kept-alive connection of its own (`keepAlive`), else a new connection per request. `pauseMs`
 * between a client's requests; the load ends by itself after `maxMs` or `maxSamples`, a bound for a
 * test that never calls stop.
 */
export function startLoad(options: {
  clients: number;
  keepAlive: boolean;
  send: (agent: http.Agent | false) => Promise<Answer>;
  pauseMs?: number;
  maxMs?: number;
  maxSamples?: number;
}): Load {
  const { clients, keepAlive, send, pauseMs = 0, maxMs = 600_000, maxSamples = 1_000_000 } = options;
  const samples: LoadSample[] = [];
  const deadline = Date.now() + maxMs;
  let stopped = false;
  const client = async () => {
    const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
    try {
      while (!stopped && Date.now() < deadline && samples.length < maxSamples) {
        const start = now();
        let answer: Answer | null = null;
        let error: string | null = null;
        try {
          answer = await send(agent);
        } catch (thrown) {
          error = thrown instanceof Error ? thrown.message : String(thrown);
        }
        samples.push({ start, end: now(), answer, error });
        if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    } finally {
      if (agent) agent.destroy();
    }
  };
  const running = Array.from({ length: clients }, client);
  return {
    samples,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
      return samples;
    },
  };
}

export type LoadStats = {
  sent: number;
  ok: number;
  failed: number;
  /** When each failure happened (ms since the epoch) and what it was. */
  failures: { at: number; what: string }[];
};

/** Counts of `samples`: a request is ok when it got a 200 whose body `accept` takes. */
export function loadStats(samples: LoadSample[], accept: (body: string) => boolean = () => true): LoadStats {
  const stats: LoadStats = { sent: samples.length, ok: 0, failed: 0, failures: [] };
  for (const { end, answer, error } of samples) {
    if (answer?.status === 200 && accept(answer.body)) {
      stats.ok++;
      continue;
    }
    stats.failed++;
    stats.failures.push({
      at: end,
      what: answer ? `${answer.status} ${answer.body.slice(0, 120)}` : String(error),
    });
  }
  return stats;
}

/** A request of a version load: the version of the app that answered it, or what failed instead. */
export type VersionSample = { start: number; end: number; version: string | null; failure: string | null };

/**
 * A load on an app that names its version in each answer (`versionOf` reads it from a 200's body):
 * `samples` reads every request so far as the version that answered it, or as a failure (an error,
 * another status, a body `versionOf` throws on).
 */
export function startVersionLoad(
  options: Parameters<typeof startLoad>[0] & { method: 'GET' | 'POST'; versionOf: (body: string) => string },
) {
  const load = startLoad(options);
  const read = ({ start, end, answer, error }: LoadSample): VersionSample => {
    if (!answer) return { start, end, version: null, failure: error };
    if (answer.status !== 200)
      return { start, end, version: null, failure: `HTTP ${answer.status} ${answer.body.slice(0, 120)}` };
    try {
      return { start, end, version: options.versionOf(answer.body), failure: null };
    } catch (error) {
      return { start, end, version: null, failure: String(error) };
    }
  };
  return {
    name: `${options.method} ${options.keepAlive ? 'keep-alive' : 'new connections'}`,
    count: () => load.samples.length,
    get samples(): VersionSample[] {
      return load.samples.map(read);
    },
    stop: load.stop,
  };
}
