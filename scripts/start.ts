/**
 * `npm start`: everything Rise needs on one machine. With no DATABASE_URL it runs an embedded
 * PostgreSQL under .rise/, applies migrations, runs Caddy and the image registry when they are
 * installed, then starts the web server and the worker. It supervises them: a child that dies is
 * restarted with backoff; the apps' public port is served by this process (apps-edge.ts), so apps keep
 * answering while Caddy restarts. Ctrl+C stops web and worker, then Caddy and the registry, then
 * PostgreSQL.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../src/env';
import { type AppsEdge, startAppsEdge } from '../src/server/platform/apps-edge';
import { appsEdgeOptions } from '../src/server/platform/apps-edge-options';
import {
  type EmbeddedPostgresHandle,
  leaveShutdownSignalsToCaller,
  startEmbeddedPostgres,
} from '../src/server/platform/embedded-postgres';
import { noUserYet } from '../src/server/platform/first-run';
import { freePort } from '../src/server/platform/free-port';
import { acquireDataDirLock } from '../src/server/platform/instance-lock';
import { findExecutable, startLocalCaddy } from '../src/server/platform/local-caddy';
import { registryPort, riseTokenAuth, startLocalRegistry } from '../src/server/platform/local-registry';
import { loadOrCreateLocalSecrets } from '../src/server/platform/local-secrets';
import { assertPortFree } from '../src/server/platform/port-check';
import { SupervisedService, startProcess } from '../src/server/platform/supervisor';
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
  // Apps are served on an unprivileged port: http://<project>.localhost:8080. This process owns that
  // port and forwards to a local Caddy listening on internal ports (told to the worker through
  // RISE_PROXY_LISTEN_*), so that apps keep serving while Caddy restarts.
  const caddyBinary = process.env.RISE_CADDY_ADMIN_URL ? null : findExecutable('caddy');
  process.env.RISE_PROXY_HTTP_PORT ||= '8080';
  process.env.RISE_PROXY_BIND_HOST ||= '127.0.0.1';
  if (process.env.RISE_PROXY_HTTP_PORT !== '80')
    process.env.RISE_APPS_PORT ||= process.env.RISE_PROXY_HTTP_PORT;
  const caddyAdminPort = caddyBinary ? await freePort() : null;
  if (caddyAdminPort) {
    process.env.RISE_CADDY_ADMIN_URL = `http://127.0.0.1:${caddyAdminPort}`;
    process.env.RISE_PROXY_LISTEN_HTTP_PORT = String(await freePort());
    process.env.RISE_PROXY_LISTEN_HTTPS_PORT = String(await freePort());
  }

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
  let edge: AppsEdge | null = null;
  // Stopped in this order: what uses the database and the proxy first, PostgreSQL last.
  const control: SupervisedService[] = [];
  const infrastructure: SupervisedService[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await Promise.all(control.map((service) => service.stop()));
    const edgeClosed = edge?.close();
    await Promise.all(infrastructure.map((service) => service.stop()));
    await edgeClosed;
    if (postgres) {
      await postgres.stop();
      say('PostgreSQL stopped');
    }
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
  // The children have their own process groups: a closed terminal reaches only this process.
  process.on('SIGHUP', () => void stopAll(0));

  // Every port Rise needs, checked before anything starts.
  const webHost = env.RISE_HOST;
  await assertPortFree(
    env.PORT,
    webHost,
    `port ${env.PORT} on ${webHost} (PORT, the web server's) is already in use, so the dashboard cannot start. ` +
      `Stop what listens there (another Rise?), or choose a free port, e.g. PORT=${env.PORT + 1} RISE_URL=http://localhost:${env.PORT + 1} npm start.`,
  );
  const registryPlan = await planRegistry(env);
  const edgeOptions = caddyBinary ? appsEdgeOptions(env, (line) => say(`apps edge: ${line}`)) : null;
  if (edgeOptions) edge = await startAppsEdge(edgeOptions);

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
    let caddyLog = '';
    const caddy = new SupervisedService({
      name: 'caddy',
      start: async (restart) => {
        const started = await startLocalCaddy({
          binary: caddyBinary,
          dataDir,
          adminPort: caddyAdminPort,
          resume: restart,
        });
        caddyLog = started.logFile;
        return started;
      },
      log: say,
    });
    infrastructure.push(caddy);
    await caddy.start();
    const appsUrl =
      env.RISE_TLS_MODE === 'off'
        ? `http://<project>.${env.RISE_BASE_DOMAIN}:${env.RISE_PROXY_HTTP_PORT}`
        : `https://<project>.${env.RISE_BASE_DOMAIN}${env.RISE_PROXY_HTTPS_PORT === 443 ? '' : `:${env.RISE_PROXY_HTTPS_PORT}`}`;
    say(`Caddy serves apps at ${appsUrl} (its log: ${caddyLog})`);
  } else if (!process.env.RISE_CADDY_ADMIN_URL) {
    say(
      'Caddy not found on PATH: apps will not be reachable at their URLs. Install it (Debian: apt-get install caddy).',
    );
  }
  if (registryPlan) {
    let registryLog = '';
    const registry = new SupervisedService({
      name: 'registry',
      start: async () => {
        const started = await startRegistry(registryPlan, env, dataDir);
        registryLog = started.logFile;
        return started;
      },
      log: say,
    });
    infrastructure.push(registry);
    await registry.start();
    say(
      `registry at ${env.RISE_REGISTRY_HOST} (images in ${join(dataDir, 'registry', 'data')}, log ${registryLog})`,
    );
  }
  if (!(await dockerReachable())) {
    say(
      'Docker engine not reachable (DOCKER_HOST or /var/run/docker.sock): deployments fail until dockerd runs.',
    );
  }

  if (bundleOutdated()) {
    say(
      'dist/ is older than the sources: the launcher and the worker run the code of the last build. ' +
        'Run `npm run build:server` (or `npm run build`) after changing or pulling the code.',
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
  // Idle footprint: glibc's default of one malloc arena per core-thread and V8's young generation
  // growing to 32 MiB semi-spaces both keep memory resident that an idle control plane never uses.
  const childEnv = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX || '2' };
  const web = new SupervisedService({
    name: 'web',
    start: async () =>
      startProcess(
        'web',
        process.execPath,
        dev
          ? [nextBin, 'dev', '-p', port, '-H', env.RISE_HOST]
          : [...SERVER_NODE_FLAGS, join('scripts', 'web-server.mjs'), port, env.RISE_HOST],
        { env: childEnv },
      ),
    log: say,
  });
  const worker = new SupervisedService({
    name: 'worker',
    start: async () =>
      startProcess('worker', process.execPath, [...SERVER_NODE_FLAGS, ...workerArgs()], { env: childEnv }),
    log: say,
  });
  control.push(web, worker);
  await Promise.all(control.map((service) => service.start()));

  const signInUrl = new URL('/signin', env.RISE_URL);
  say(`Rise is starting at ${env.RISE_URL}`);
  if (oidcConfigured) {
    say(`Sign in at ${signInUrl} with ${env.RISE_OIDC_NAME} (${env.RISE_OIDC_ISSUER}).`);
  } else if (await noUserYet(requireDatabaseUrl()).catch(() => false)) {
    say(
      `Create the first account at ${signInUrl} (local accounts are on, no OIDC provider configured): it becomes platform admin.`,
    );
  } else {
    say(`Sign in at ${signInUrl} with your account (local accounts are on, no OIDC provider configured).`);
  }
  say('Press Ctrl+C to stop.');
}

/**
 * Measured idle RSS savings per process: V8's young generation capped at 2 MiB semi-spaces (default up
 * to 32 MiB) 15-60 MiB; WebAssembly kept at its baseline compiler, so Prisma's query compiler (wasm) is
 * never recompiled by TurboFan, up to 40 MiB (query times unchanged within noise: compiled plans are
 * cached).
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--liftoff-only'];

/**
 * Node's arguments for the worker: its bundle beside this one when the launcher runs from dist/
 * (`npm start`; both built by `npm ci` or `npm run build`), the sources through tsx otherwise (`npm run dev`).
 */
function workerArgs(): string[] {
  const bundled = fileURLToPath(new URL('./worker.mjs', import.meta.url));
  if (import.meta.url.endsWith('/dist/start.mjs') && existsSync(bundled)) return [bundled];
  return ['--import', 'tsx', join('worker', 'main.ts')];
}

/** Whether this launcher runs from a bundle older than a source file it was built from. */
function bundleOutdated(): boolean {
  if (!import.meta.url.endsWith('/dist/start.mjs')) return false;
  const built = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const sources = ['src', 'worker', 'scripts'].flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.includes('.test.'))
          .map((entry) => join(entry.parentPath, entry.name))
      : [],
  );
  return sources.some((file) => statSync(file).mtimeMs > built);
}

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
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

async function startRegistry(plan: RegistryPlan, env: Env, dataDir: string) {
  const { ensureRegistrySigningKey } = await import('../src/server/registry/signing-key');
  const key = await ensureRegistrySigningKey(dataDir);
  return startLocalRegistry({
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
