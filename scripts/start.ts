/**
 * `npm start`: everything Rise needs on one machine. With no DATABASE_URL it runs an embedded
 * PostgreSQL under .rise/, applies migrations, runs Caddy and the image registry when they are
 * installed, then starts the web server and the worker and stops them all cleanly on Ctrl+C.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import type { Env } from '../src/env';
import {
  type EmbeddedPostgresHandle,
  leaveShutdownSignalsToCaller,
  startEmbeddedPostgres,
} from '../src/server/platform/embedded-postgres';
import { freePort } from '../src/server/platform/free-port';
import { acquireDataDirLock } from '../src/server/platform/instance-lock';
import { findExecutable, startLocalCaddy } from '../src/server/platform/local-caddy';
import { registryPort, riseTokenAuth, startLocalRegistry } from '../src/server/platform/local-registry';
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
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  // One `npm start` per data directory: a second one would fight the first over its PostgreSQL.
  const lock = acquireDataDirLock(dataDir);
  process.on('exit', () => lock.release());

  let postgres: EmbeddedPostgresHandle | null = null;
  const children: SupervisedProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await Promise.all(children.map((child) => stopProcess(child)));
    if (postgres) await postgres.stop();
    lock.release();
    say('stopped');
    process.exit(code);
  };
  startupFailed = (error) => {
    console.error(`[rise] failed to start: ${describeError(error)}`);
    void stopAll(1);
  };
  leaveShutdownSignalsToCaller();
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const registryPlan = await planRegistry(env);

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
  if (registryPlan) children.push(await startRegistry(registryPlan, env, dataDir));
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

type RegistryPlan = { binary: string; port: number };

/**
 * Whether `npm start` runs Rise's image registry (`rise d c` pushes there), checked before anything
 * starts: Debian's docker-registry on RISE_REGISTRY_HOST's port. Says once why not; a taken port stops.
 */
async function planRegistry(env: Env): Promise<RegistryPlan | null> {
  if (env.RISE_REGISTRY_PROVIDER !== 'builtin') return null;
  const port = registryPort(env.RISE_REGISTRY_HOST);
  const host = env.RISE_REGISTRY_HOST.slice(0, env.RISE_REGISTRY_HOST.lastIndexOf(':'));
  if (port === null || !['127.0.0.1', 'localhost'].includes(host)) {
    say(
      `RISE_REGISTRY_HOST is ${env.RISE_REGISTRY_HOST}, not 127.0.0.1:<port>: not starting a local registry; ` +
        'the registry there must use Rise as its token service.',
    );
    return null;
  }
  const binary = findExecutable('docker-registry');
  if (!binary) {
    say(
      'docker-registry not found on PATH: `rise d c` from a Dockerfile or source cannot push images, ' +
        'so only deployments of existing images work. Install it (Debian: apt-get install docker-registry).',
    );
    return null;
  }
  if (await portTaken(port)) {
    throw new Error(
      `port ${port} of RISE_REGISTRY_HOST (${env.RISE_REGISTRY_HOST}) is already in use, so the registry cannot start. ` +
        'Stop what listens there, or choose a free port, e.g. RISE_REGISTRY_HOST=127.0.0.1:5001 npm start.',
    );
  }
  return { binary, port };
}

async function startRegistry(plan: RegistryPlan, env: Env, dataDir: string): Promise<SupervisedProcess> {
  const { ensureRegistrySigningKey } = await import('../src/server/registry/signing-key');
  const key = await ensureRegistrySigningKey(dataDir);
  const registry = await startLocalRegistry({
    binary: plan.binary,
    dataDir,
    port: plan.port,
    tokenAuth: riseTokenAuth({
      riseUrl: env.RISE_URL,
      service: env.RISE_REGISTRY_SERVICE,
      issuer: env.RISE_REGISTRY_ISSUER,
      rootCertBundle: key.certificatePath,
    }),
  });
  say(
    `registry at ${env.RISE_REGISTRY_HOST} (images in ${join(dataDir, 'registry', 'data')}, log ${registry.logFile})`,
  );
  return registry;
}

/** Whether something already accepts connections on 127.0.0.1:`port`. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolvePort(false);
    });
    socket.once('error', () => resolvePort(false));
  });
}

/** The message of any start-up failure: never `undefined`. */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (error === undefined || error === null)
    return 'a component failed without saying why (see the output above)';
  return String(error);
}

let startupFailed: (error: unknown) => void = (error) => {
  console.error(`[rise] failed to start: ${describeError(error)}`);
  process.exit(1);
};

main().catch((error) => startupFailed(error));
