// Health check of Rise's image: `node scripts/healthcheck.mjs web|worker`, exit 0 when healthy.
//   web     GET /api/health on the server's own port answers 2xx
//   worker  the heartbeat file (scripts/worker-heartbeat.mjs) was touched within the last 60 s
import { statSync } from 'node:fs';

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
  throw new Error(`usage: healthcheck.mjs web|worker (got ${kind ?? 'nothing'})`);
}

check(process.argv[2]).then(
  () => process.exit(0),
  (error) => {
    console.error(`unhealthy: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
