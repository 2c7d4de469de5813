import Dockerode from 'dockerode';
import { freePort } from '@/server/platform/free-port';
import { httpApi, signUpLocally } from './api-client';
import { startCaddy, type TestCaddy } from './caddy';
import { removeInstanceResources } from './docker-networks';
import { isolatedEngineEnv, riseRegistryTokenAuth } from './isolated-engine-env';
import { type NextServer, startNextServer } from './next-server';
import { type RegistryTokenAuth, startRegistry, type TestRegistry } from './registry';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export type RiseStackOptions = {
  /** Names this file's engine resources (`test-<runId>`): what `stop` removes. */
  runId: string;
  dataDir: string;
  /** A Caddy the test started itself (it needs its pid before the stack starts); else the stack starts one. */
  caddy?: TestCaddy;
  /** Added to (or overriding) the environment web server and worker share. */
  env?: Record<string, string>;
  /** For the web server only (e.g. the server's RISE_BUILD_* defaults). */
  webEnv?: Record<string, string>;
  webPort?: number;
  registryPort?: number;
  /** The registry's token auth; by default the web server's realm at its own URL. */
  registryTokenAuth?: (webUrl: string) => RegistryTokenAuth;
};

export type RiseStack = {
  web: NextServer;
  caddy: TestCaddy;
  registry: TestRegistry;
  worker: WorkerProcess;
  /** `127.0.0.1:<port>` the registry listens on (RISE_REGISTRY_HOST unless `env` names another). */
  registryAddress: string;
  /**
   * Starts another worker process with the first one's environment plus `env` (e.g. after the first
   * was killed); `stop` stops it too.
   */
  startWorker: (env?: Record<string, string>) => Promise<WorkerProcess>;
  /** Stops the processes, then removes this run's containers, project networks and `images`' builds. */
  stop: (options?: { images?: string[] }) => Promise<void>;
};

/**
 * Rise as the CLI integration tests run it: the production web server with local sign-in, a registry
 * whose token auth is Rise's, a worker deploying behind its own Caddy with this file's isolated engine
 * settings, fast health checks and a short switch settle. `registry.stop` may be called before `stop`.
 */
export async function startRiseStack(options: RiseStackOptions): Promise<RiseStack> {
  const caddy = options.caddy ?? (await startCaddy());
  const registryPort = options.registryPort ?? (await freePort());
  const registryAddress = `127.0.0.1:${registryPort}`;
  const shared = {
    RISE_DATA_DIR: options.dataDir,
    RISE_REGISTRY_HOST: registryAddress,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_APPS_PORT: String(caddy.httpPort),
    ...options.env,
  };
  // Web server and worker share the engine's settings, as in production (the web server reads
  // instances too: runtime logs, `rise exec`).
  const engineEnv = await isolatedEngineEnv(caddy, options.runId);
  const web = await startNextServer(
    { ...shared, ...engineEnv, RISE_LOCAL_AUTH: 'true', ...options.webEnv },
    options.webPort,
  );
  const registry = stopOnce(
    await startRegistry({
      port: registryPort,
      tokenAuth: (options.registryTokenAuth ?? ((url) => riseRegistryTokenAuth(url, options.dataDir)))(
        web.url,
      ),
    }),
  );
  const workerEnv = {
    RISE_URL: web.url,
    ...shared,
    ...engineEnv,
    RISE_HEALTH_CHECK_INTERVAL_MS: '200',
    RISE_SWITCH_SETTLE_MS: '500',
  };
  const worker = await startWorkerProcess(workerEnv);
  const moreWorkers: WorkerProcess[] = [];
  return {
    web,
    caddy,
    registry,
    worker,
    registryAddress,
    startWorker: async (env = {}) => {
      const started = await startWorkerProcess({ ...workerEnv, ...env });
      moreWorkers.push(started);
      return started;
    },
    stop: async ({ images = [] } = {}) => {
      await worker.stop();
      for (const started of moreWorkers) await started.stop();
      await registry.stop();
      await web.stop();
      await caddy.stop();
      const docker = new Dockerode();
      await removeInstanceResources(docker, `test-${options.runId}`);
      for (const name of images)
        for (const image of await docker.listImages({ filters: { reference: [`*/${name}`] } }))
          await docker
            .getImage(image.Id)
            .remove({ force: true })
            .catch(() => undefined);
    },
  };
}

/** A registry whose `stop` runs once: stopping a killed registry again would wait for ever. */
function stopOnce(registry: TestRegistry): TestRegistry {
  let stopping: Promise<void> | undefined;
  return { ...registry, stop: () => (stopping ??= registry.stop()) };
}

/** Signs a new user up locally, creates `projects` as theirs and returns an API token of theirs. */
export async function signUpWithToken(
  webUrl: string,
  options: { email: string; projects: string[]; tokenName: string },
): Promise<string> {
  const cookie = await signUpLocally(webUrl, { email: options.email, password: 'correct-horse-battery' });
  const browser = httpApi(webUrl, { cookie });
  for (const name of options.projects) await browser.project.create.mutate({ name });
  return (await browser.token.create.mutate({ name: options.tokenName })).token;
}
