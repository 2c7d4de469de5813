// Health check of Rise's image: `node scripts/healthcheck.mjs web|worker|edge`, exit 0 when healthy.
//   web     GET /api/health on the server's own port answers 2xx
//   worker  the heartbeat file (scripts/worker-heartbeat.mjs) was touched within the last 60 s
//   edge    its HTTP port accepts a connection (a request would wait for Caddy, which has its own check)
import { statSync } from 'node:fs';
import net from 'node:net';

const WORKER_HEARTBEAT_FILE = '/tmp/rise-worker.heartbeat';
const WORKER_STALE_MS = 60_000;

async function check(kind) {
  if (kind === 'web') {
    const port = process.env.PORT || '3000';
    const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
      signal: AbortSignal.timeout(4000),
    });
    if (!response.ok) throw new Error(`/api/health answered ${response.status}`);
    return;
  }
  if (kind === 'worker') {
    const age = Date.now() - statSync(WORKER_HEARTBEAT_FILE).mtimeMs;
    if (age > WORKER_STALE_MS) throw new Error(`no heartbeat for ${Math.round(age / 1000)} s`);
    return;
  }
  if (kind === 'edge') {
    const port = Number(process.env.RISE_EDGE_HTTP_PORT || '8080');
    await new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, timeout: 4000 });
      socket.once('connect', () => socket.end(resolve));
      socket.once('timeout', () => reject(new Error(`port ${port}: no answer in 4 s`)));
      socket.once('error', reject);
    });
    return;
  }
  throw new Error(`usage: healthcheck.mjs web|worker|edge (got ${kind ?? 'nothing'})`);
}

check(process.argv[2]).then(
  () => process.exit(0),
  (error) => {
    console.error(`unhealthy: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
