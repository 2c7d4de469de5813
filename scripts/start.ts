/**
 * `npm start`: everything Rise needs on one machine. With no DATABASE_URL it runs an embedded
 * PostgreSQL under .rise/, applies migrations, then starts the web server and the worker and stops
 * them all cleanly on Ctrl+C.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type EmbeddedPostgresHandle,
  leaveShutdownSignalsToCaller,
  startEmbeddedPostgres,
} from '../src/server/platform/embedded-postgres';
import { freePort } from '../src/server/platform/free-port';
import { findExecutable, startLocalCaddy } from '../src/server/platform/local-caddy';
import { loadOrCreateLocalSecrets } from '../src/server/platform/local-secrets';
import { type SupervisedProcess, startProcess, stopProcess } from '../src/server/platform/supervisor';
import { runPrisma } from './prisma.mjs';

async function dockerReachable(): Promise<boolean> {
  const { default: Dockerode } = await import('dockerode');
  return new Dockerode()
    .ping()
    .then(() => true)
    .catch(() => false);
}

const say = (line: string) => console.log(`[rise] ${line}`);
const dev = process.env.RISE_DEV === '1';

async function main() {
  const dataDir = resolve(process.env.RISE_DATA_DIR || '.rise');
  const secrets = loadOrCreateLocalSecrets(dataDir);
  process.env.AUTH_SECRET ||= secrets.authSecret;
  process.env.RISE_ENCRYPTION_KEY ||= secrets.encryptionKey;
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const oidcConfigured = Boolean(process.env.RISE_OIDC_ISSUER);
  if (!oidcConfigured && !process.env.RISE_LOCAL_AUTH) process.env.RISE_LOCAL_AUTH = 'true';
  // Apps are served by a local Caddy on an unprivileged port: http://<project>.localhost:8080.
  const caddyBinary = process.env.RISE_CADDY_ADMIN_URL ? null : findExecutable('caddy');
  process.env.RISE_PROXY_HTTP_PORT ||= '8080';
  process.env.RISE_PROXY_BIND_HOST ||= '127.0.0.1';
  if (process.env.RISE_PROXY_HTTP_PORT !== '80')
    process.env.RISE_APPS_PORT ||= process.env.RISE_PROXY_HTTP_PORT;
  const caddyAdminPort = caddyBinary ? await freePort() : null;
  if (caddyAdminPort) process.env.RISE_CADDY_ADMIN_URL = `http://127.0.0.1:${caddyAdminPort}`;

  // Validate everything before starting anything; a bad variable stops start-up with its name.
  const { parseEnv, EnvError } = await import('../src/env');
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  let postgres: EmbeddedPostgresHandle | null = null;
  const children: SupervisedProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await Promise.all(children.map((child) => stopProcess(child)));
    if (postgres) await postgres.stop();
    say('stopped');
    process.exit(code);
  };
  leaveShutdownSignalsToCaller();
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  if (!env.DATABASE_URL) {
    const port = env.RISE_EMBEDDED_POSTGRES_PORT ?? (await freePort());
    say(`starting embedded PostgreSQL in ${join(dataDir, 'postgres')} on 127.0.0.1:${port}`);
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port,
      password: secrets.postgresPassword,
      database: 'rise',
    });
    process.env.DATABASE_URL = postgres.url;
  }

  if (caddyBinary && caddyAdminPort) {
    children.push(await startLocalCaddy({ binary: caddyBinary, dataDir, adminPort: caddyAdminPort }));
    say(`Caddy serves apps at http://<project>.${env.RISE_BASE_DOMAIN}:${env.RISE_PROXY_HTTP_PORT}`);
  } else if (!process.env.RISE_CADDY_ADMIN_URL) {
    say(
      'Caddy not found on PATH: apps will not be reachable at their URLs. Install it (Debian: apt-get install caddy).',
    );
  }
  if (!(await dockerReachable())) {
    say(
      'Docker engine not reachable (DOCKER_HOST or /var/run/docker.sock): deployments fail until dockerd runs.',
    );
  }

  say('applying database migrations');
  if ((await runPrisma(['migrate', 'deploy'], { stdio: 'inherit' })) !== 0) {
    console.error('[rise] migrations failed; see the output above.');
    return stopAll(1);
  }

  const nextBin = join('node_modules', 'next', 'dist', 'bin', 'next');
  if (!dev && !existsSync(join('.next', 'BUILD_ID'))) {
    say('building the dashboard (first start only; `npm run build` after changing the code)');
    const build = startProcess('build', process.execPath, [nextBin, 'build']);
    if ((await build.exited) !== 0) return stopAll(1);
  }

  const port = String(env.PORT);
  const web = startProcess('web', process.execPath, [
    nextBin,
    dev ? 'dev' : 'start',
    '-p',
    port,
    '-H',
    env.RISE_HOST,
  ]);
  const worker = startProcess('worker', process.execPath, ['--import', 'tsx', join('worker', 'main.ts')]);
  children.push(web, worker);
  for (const child of children) {
    void child.exited.then((code) => {
      if (!stopping) {
        console.error(`[rise] ${child.name} exited unexpectedly (code ${code}); stopping.`);
        void stopAll(1);
      }
    });
  }

  const signIn = oidcConfigured
    ? `sign in with ${env.RISE_OIDC_NAME} (${env.RISE_OIDC_ISSUER})`
    : 'no OIDC provider configured, so local accounts are on: create the first account (it becomes platform admin)';
  say(`Rise is starting at ${env.RISE_URL}`);
  say(`Sign in at ${new URL('/signin', env.RISE_URL)}: ${signIn}.`);
  say('Press Ctrl+C to stop.');
}

main().catch((error) => {
  console.error('[rise] failed to start:', error);
  process.exit(1);
});
