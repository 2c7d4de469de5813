import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '@/server/platform/free-port';
import { StopWaiting, waitFor } from './wait';

export type NextServer = { url: string; port: number; output: () => string; stop: () => Promise<void> };

async function waitForHealthy(
  url: string,
  child: ChildProcess,
  output: () => string,
  requireHealthy: boolean,
  timeoutMs = 60_000,
) {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new StopWaiting(`next start exited early:\n${output()}`);
      const response = await fetch(`${url}/api/health`);
      return response.ok || !requireHealthy;
    },
    { description: `next start to answer ${url}/api/health`, timeoutMs, context: output },
  );
}

/**
 * The real production server (`next start` of the `.next` build that `npm test` makes first) on a free
 * port, configured by `env` on top of the test's own (DATABASE_URL and secrets from setup-database.ts).
 */
export async function startNextServer(
  env: Record<string, string> = {},
  port?: number,
  /** `false`: ready once it answers at all (a server whose database is down on purpose). */
  requireHealthy = true,
): Promise<NextServer> {
  if (!existsSync('.next/BUILD_ID'))
    throw new Error('No Next build: run `npm test` (it builds first) or `npm run build`.');
  const serverPort = port ?? (await freePort());
  // `localhost`, not 127.0.0.1: Next.js rewrites loopback IPs to it in request URLs (see src/env.ts).
  const url = `http://localhost:${serverPort}`;
  let log = '';
  const child = spawn(
    process.execPath,
    ['node_modules/next/dist/bin/next', 'start', '-p', String(serverPort), '-H', '127.0.0.1'],
    {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', RISE_URL: url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const output = () => log;
  await waitForHealthy(url, child, output, requireHealthy);
  return {
    url,
    port: serverPort,
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
