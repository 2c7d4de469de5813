import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  method: string;
  /** The path as sent (still percent-encoded). */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
};

/**
 * A stand-in for the forges' APIs on 127.0.0.1: it records every request and answers as the forges
 * do: a created comment or note gets a new numeric `id` (201), an update echoes the id (200), a status
 * is 201. `delayNext(ms)` answers late; `failNext(status)` makes the next requests fail with `status`; `missing` comment ids are 404.
 */
export async function startForgeRecorder() {
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];
  const delays: number[] = [];
  const missing = new Set<string>();
  let nextId = 1000;
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {}
      requests.push({ method: request.method ?? '', path, headers: request.headers, body });
      const reply = (status: number, answer: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      };
      const delay = delays.shift();
      if (delay !== undefined) {
        setTimeout(() => reply(201, { state: 'late' }), delay);
        return;
      }
      const failure = failures.shift();
      if (failure !== undefined) return reply(failure, { message: `failing on purpose (${failure})` });
      const updated = /\/(?:comments|notes)\/([^/]+)$/.exec(path)?.[1];
      if (updated !== undefined) {
        if (missing.has(updated)) return reply(404, { message: 'Not Found' });
        return reply(200, { id: Number(updated) });
      }
      if (/\/(?:comments|notes)$/.test(path)) return reply(201, { id: nextId++ });
      reply(201, { state: 'ok' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (...statuses: number[]) => failures.push(...statuses),
    /** The next answer comes only after `ms`. */
    delayNext: (ms: number) => delays.push(ms),
    /** Comment `id` answers 404 (deleted on the forge). */
    forget: (id: string) => missing.add(id),
    clear: () => {
      requests.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ForgeRecorder = Awaited<ReturnType<typeof startForgeRecorder>>;
