import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { runExec } from '../../cli/src/commands/exec/exec-client';
import { httpApi, signUpLocally } from '../api-client';
import { TEST_SUBNET_POOL } from '../docker-networks';
import { proxyRequest } from '../http-through-proxy';
import { buildTestAppImage } from '../images';
import { StopWaiting, waitFor } from '../wait';
import { startAppLoad } from './app-load';
import { ComposeStack } from './compose-stack';
import { phaseClock } from './phases';
import { runCommand, runOrThrow } from './run-command';
import { buildStandInImages, STAND_IN_IMAGES } from './stand-in-images';

// The README's production path, for real: docker-compose.yml brought up as an operator would (an env
// file, `docker-compose up -d`), with images built here from Debian packages where the compose file
// names official ones (no registry is reachable), under a compose project name and host ports of
// this run. Then a user's first hour against it, all through the stack's own Caddy: sign-up and
// sign-in, a project, a push to the stack's registry with credentials Rise issues, a deploy by tag.
// Then what an operator relies on: restarts lose no app request, apps cannot reach the control plane,
// and `down -v` leaves nothing behind. Each phase prints how long it took.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const runId = randomBytes(3).toString('hex');
const composeProject = `rise-selfhost-${runId}`;
const instanceId = `selfhost-${runId}`;
const docker = new Dockerode();
const clock = phaseClock();
/** Progress of image builds: the Dockerfile steps only (a failed build throws with its output's end). */
const buildProgress = (line: string) => {
  if (/^(\[[^\]]+\] )?(Step \d+\/\d+ :|building )/.test(line)) console.log(line.slice(0, 160));
};

const RISE_IMAGE = 'rise-selfhost/rise:local';
const APP_IMAGE = `rise-test/selfhost-app:${runId}`;
const publicProject = `hello-${runId}`;
const privateProject = `secret-${runId}`;
const admin = { email: 'owner@example.test', password: 'correct horse battery staple', name: 'Owner' };

type Ports = { http: number; https: number; web: number; registry: number; dex: number };
let ports: Ports;
let stack: ComposeStack;
let stackDown = false;
let riseUrl: string;
let npmRegistry: string;
let registryHost: string;
let cookie: string;
let dockerConfig: string | null = null;
const pushedTags: string[] = [];
const createdProjects: string[] = [];
/** The first step that failed: later steps depend on it and say so rather than fail obscurely. */
let broken: string | null = null;

/**
 * A step of the journey: timed, and on failure reported with the end of the stack's logs. When a
 * step the others build on fails (`critical`), the later ones fail at once, naming it.
 */
async function step<T>(
  name: string,
  run: () => Promise<T>,
  options: { critical?: boolean; always?: boolean } = {},
): Promise<T> {
  const { critical = true, always = false } = options;
  if (broken && !always) throw new Error(`not run: "${broken}" failed first`);
  try {
    return await clock.time(name, run);
  } catch (error) {
    if (critical) broken ??= name;
    const logs = stack ? await stack.logs().catch((cause) => `(no logs: ${cause})`) : '';
    if (error instanceof Error && logs)
      error.message += `\n--- docker-compose logs (tail) ---\n${logs.slice(-12_000)}`;
    throw error;
  }
}

function composeVariables(): Record<string, string> {
  return {
    // Secrets an operator fills in from deploy/.env.example.
    POSTGRES_PASSWORD: randomBytes(18).toString('base64url'),
    AUTH_SECRET: randomBytes(32).toString('base64'),
    RISE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DOCKER_GID: dockerGid(),
    // Served through the stack's Caddy: the dashboard at localhost, apps at <project>.localhost.
    RISE_URL: riseUrl,
    RISE_BASE_DOMAIN: 'localhost',
    RISE_TLS_MODE: 'off',
    RISE_APPS_PORT: String(ports.http),
    // No OIDC variables: local accounts, the first one made becomes the platform admin.
    RISE_INSTANCE_ID: instanceId,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    // The edge's network: a /28 of its own per run (the default is the same for every installation).
    RISE_EDGE_SUBNET: `10.212.${randomInt(16, 255)}.${16 * randomInt(0, 16)}/28`,
    // The stand-ins, where the compose file's defaults name official images.
    RISE_POSTGRES_IMAGE: STAND_IN_IMAGES.postgres,
    RISE_CADDY_IMAGE: STAND_IN_IMAGES.caddy,
    RISE_REGISTRY_IMAGE: STAND_IN_IMAGES.registry,
    RISE_IMAGE: RISE_IMAGE,
    // Rise's image: FROM the Node 24 stand-in, npm ci against the host's npm registry (its CA bundle
    // goes in deploy/build-ca/ for the build, see buildRiseImage).
    RISE_NODE_IMAGE: STAND_IN_IMAGES.node,
    RISE_NPM_REGISTRY: npmRegistry,
    // Host ports of this run.
    RISE_HTTP_PORT: String(ports.http),
    RISE_HTTPS_PORT: String(ports.https),
    RISE_WEB_PORT: String(ports.web),
    RISE_REGISTRY_PORT: String(ports.registry),
    RISE_DEX_PORT: String(ports.dex),
  };
}

/** The group owning the Docker socket: the worker joins it (DOCKER_GID in deploy/.env.example). */
function dockerGid(): string {
  return String(statSync('/var/run/docker.sock').gid);
}

async function containerOf(service: string): Promise<Dockerode.ContainerInspectInfo> {
  const id = await stack.containerId(service);
  if (!id) throw new Error(`${service} has no container`);
  return docker.getContainer(id).inspect();
}

function api() {
  return httpApi(riseUrl, { cookie });
}

async function deployedHealthy(project: string, deployment: string) {
  return waitFor(
    async () => {
      const view = await api().deployment.get.query({ project, deployment });
      if (['failed', 'cancelled', 'unhealthy', 'expired', 'stopped'].includes(view.status)) {
        throw new StopWaiting(
          `deployment ${deployment} of ${project} ended ${view.status}: ${view.error ?? ''}`,
        );
      }
      return view.status === 'healthy' ? view : null;
    },
    {
      description: `deployment ${deployment} of ${project} to be healthy`,
      timeoutMs: 180_000,
      intervalMs: 500,
    },
  );
}

/** Pushes the test app to the stack's registry as `<project>:<tag>` with credentials Rise issues. */
async function pushToStackRegistry(project: string, tag: string): Promise<string> {
  const credentials = await api().registry.credentials.mutate({ project });
  expect(credentials).toMatchObject({ host: registryHost, repository: project });
  dockerConfig ??= await mkdtemp(path.join(tmpdir(), 'rise-selfhost-docker-'));
  await runOrThrow(
    'docker',
    ['--config', dockerConfig, 'login', credentials.host, '-u', credentials.username, '--password-stdin'],
    { input: credentials.password },
  );
  const reference = `${credentials.host}/${credentials.repository}:${tag}`;
  await runOrThrow('docker', ['tag', APP_IMAGE, reference]);
  pushedTags.push(reference);
  const pushed = await runOrThrow('docker', ['--config', dockerConfig, 'push', reference]);
  expect(pushed).toMatch(new RegExp(`${tag}: digest: sha256:[0-9a-f]{64}`));
  return reference;
}

/**
 * `docker-compose restart <services>` while 8 keep-alive clients without retries request the public
 * app through Caddy; load runs from 2 s before until 3 s after Rise answers again. The summary lines
 * the failures up with when each restarted container stopped and started.
 */
async function restartUnderLoad(services: string[]) {
  const load = startAppLoad({ port: ports.http, host: `${publicProject}.localhost`, clients: 8 });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const restartAt = Date.now() - load.startedAt;
  await stack.compose(['restart', ...services], { timeoutMs: 180_000 });
  const restartedAt = Date.now() - load.startedAt;
  await waitFor(
    async () => (await fetch(`${riseUrl}/api/health`, { signal: AbortSignal.timeout(5000) })).ok,
    { description: 'Rise to answer through Caddy after the restart', timeoutMs: 120_000, intervalMs: 500 },
  );
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const stats = await load.stop();
  const timeline: string[] = [];
  for (const service of services) {
    const { State } = await containerOf(service);
    const at = (iso: string) => Date.parse(iso) - load.startedAt;
    timeline.push(`${service} stopped at ${at(State.FinishedAt)} ms, started at ${at(State.StartedAt)} ms`);
  }
  const window = stats.failureWindow;
  const summary = [
    `docker-compose restart ${services.join(' ')} under load: ${stats.ok} ok, ${stats.failed} failed in ${stats.durationMs} ms`,
    `the restart command ran from ${restartAt} to ${restartedAt} ms; ${timeline.join('; ')}`,
    window
      ? `failures from ${window.fromMs} to ${window.toMs} ms, by reason ${JSON.stringify(stats.reasons)}`
      : '',
  ]
    .filter(Boolean)
    .join('\n  ');
  console.log(`[selfhost] ${summary}`);
  if (stats.failed > 0) {
    const logs = await stack.run(['logs', '--no-color', '--tail', '40', ...services, 'edge'], {
      timeoutMs: 30_000,
    });
    console.log(
      `[selfhost] logs of ${services.join(', ')} and edge after the failures:\n${logs.stdout}${logs.stderr}`,
    );
  }
  return { ...stats, summary };
}

afterAll(async () => {
  if (stack && !stackDown) {
    const result = await stack.down();
    if (result.code !== 0) console.error(`[selfhost] cleanup: down -v failed:\n${result.stderr}`);
    // What the worker created and the stack no longer can remove.
    for (const container of await docker.listContainers({
      all: true,
      filters: { label: [`dev.rise.managed-by=${instanceId}`] },
    })) {
      await docker
        .getContainer(container.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
    for (const network of await docker.listNetworks({
      filters: { label: [`dev.rise.managed-by=${instanceId}`] },
    })) {
      await docker
        .getNetwork(network.Id)
        .remove()
        .catch(() => undefined);
    }
  }
  for (const reference of pushedTags) await runCommand('docker', ['rmi', reference]);
  await runCommand('docker', ['rmi', APP_IMAGE]);
  if (dockerConfig) await rm(dockerConfig, { recursive: true, force: true });
  console.log(clock.summary());
}, 300_000);

describe.sequential('the docker-compose stack (docker-compose.yml), end to end', () => {
  it('builds the stand-in images from Debian packages and Rise’s image from the Dockerfile', async () => {
    await step('images: stand-ins (Debian base, PostgreSQL 15, Caddy, registry, Node 24)', () =>
      buildStandInImages({ docker, log: buildProgress }),
    );
    npmRegistry = (await runOrThrow('npm', ['config', 'get', 'registry'])).trim();
    ports = {
      http: await freePort(),
      https: await freePort(),
      web: await freePort(),
      registry: await freePort(),
      dex: await freePort(),
    };
    riseUrl = `http://localhost:${ports.http}`;
    registryHost = `127.0.0.1:${ports.registry}`;
    stack = new ComposeStack({
      repoRoot,
      projectName: composeProject,
      instanceId,
      variables: composeVariables(),
    });
    await step('images: Rise (docker-compose build)', async () => {
      await buildRiseImage();
      const image = await docker.getImage(RISE_IMAGE).inspect();
      console.log(`[selfhost] ${RISE_IMAGE}: ${Math.round(image.Size / 1_000_000)} MB`);
    });
    await step('images: the test app', () =>
      buildTestAppImage({ tag: APP_IMAGE, version: `selfhost-${runId}` }),
    );
  }, 1_800_000);

  it('comes up under its own compose project name and free host ports', async () => {
    await step('docker-compose up -d', async () => {
      await stack.compose(['up', '--detach', '--no-build'], { timeoutMs: 600_000 });
      await waitFor(
        async () => {
          const response = await fetch(`${riseUrl}/api/health`, { signal: AbortSignal.timeout(5000) });
          return response.status === 200 ? response : null;
        },
        { description: 'Rise to answer through Caddy', timeoutMs: 180_000, intervalMs: 1000 },
      );
    });
    const web = await containerOf('web');
    expect(web.Config.Labels['com.docker.compose.project']).toBe(composeProject);
    expect(web.Config.Image).toBe(RISE_IMAGE);
    const published = async (service: string) =>
      Object.values(
        (await containerOf(service)).NetworkSettings.Ports as Record<string, { HostPort: string }[] | null>,
      )
        .flat()
        .map((binding) => binding?.HostPort)
        .filter(Boolean);
    // The edge owns the apps' port, so that it outlives a restart of Caddy, which publishes nothing.
    expect(await published('edge')).toContain(String(ports.http));
    expect(await published('caddy')).toEqual([]);
    // Rise's processes run as the image's unprivileged user.
    expect(web.Config.User).toBe('rise');
    expect((await containerOf('worker')).Config.User).toBe('rise');
  }, 900_000);

  it('signs up the first local account, and signs in with it, through Caddy', async () => {
    await step('sign-up and sign-in', async () => {
      await signUpLocally(riseUrl, admin);
      const form = new URLSearchParams({
        mode: 'signin',
        callbackUrl: '/',
        email: admin.email,
        password: admin.password,
      });
      const response = await fetch(`${riseUrl}/api/local-auth`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(response.status).toBe(303);
      cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect(cookie).toMatch(/^rise\.session-token=.+/);
      const me = await api().me.query();
      expect(me).toMatchObject({ kind: 'user', isPlatformAdmin: true });
    });
  });

  it('creates a project, pushes to the stack’s registry with Rise’s credentials, deploys it by tag', async () => {
    const image = await step('create, push, deploy by tag', async () => {
      await api().project.create.mutate({ name: publicProject });
      createdProjects.push(publicProject);
      const reference = await pushToStackRegistry(publicProject, 'v1');
      const created = await api().deployment.create.mutate({ project: publicProject, image: reference });
      const view = await deployedHealthy(publicProject, created.id);
      expect(view.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      return reference;
    });
    expect(image).toBe(`${registryHost}/${publicProject}:v1`);
  }, 300_000);

  it('serves the app through the stack’s Caddy', async () => {
    await step(
      'app through Caddy',
      async () => {
        const response = await waitFor(
          async () => {
            const answer = await proxyRequest(ports.http, { host: `${publicProject}.localhost` });
            return answer.status === 200 ? answer : null;
          },
          { description: 'the app through Caddy', timeoutMs: 30_000 },
        );
        expect(response.body.trim()).toBe(`selfhost-${runId}`);
      },
      { critical: false },
    );
  });

  // The web container has no Docker socket: `rise exec` reaches the app through the edge, Caddy, the
  // web server's WebSocket and the worker's runtime gateway (a socket in a volume web and worker share).
  it('runs rise exec in the app through Caddy, the web server and the worker’s runtime gateway', async () => {
    await step(
      'rise exec through the gateway',
      async () => {
        const { token } = await api().token.create.mutate({ name: `selfhost-exec-${runId}` });
        const output = { stdout: '', stderr: '' };
        const sink = (stream: keyof typeof output) =>
          new Writable({
            write(chunk, _encoding, done) {
              output[stream] += chunk.toString();
              done();
            },
          });
        const code = await runExec(
          {
            url: riseUrl,
            token,
            project: publicProject,
            cmd: ['/bin/busybox', 'sh', '-c', `echo out-${runId}; echo err-${runId} >&2; exit 3`],
            tty: false,
          },
          { stdin: Readable.from([]), stdout: sink('stdout'), stderr: sink('stderr') },
        );
        expect(output).toEqual({ stdout: `out-${runId}\n`, stderr: `err-${runId}\n` });
        expect(code).toBe(3);
      },
      { critical: false },
    );
  }, 120_000);

  it('serves the dashboard through the stack’s Caddy', async () => {
    await step(
      'dashboard through Caddy',
      async () => {
        const page = await fetch(`${riseUrl}/`, { headers: { cookie }, redirect: 'manual' });
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(publicProject);
        const anonymous = await fetch(`${riseUrl}/`, { redirect: 'manual' });
        expect([302, 303, 307]).toContain(anonymous.status);
      },
      { critical: false },
    );
  });

  it('answers 401 to an anonymous request for a private project', async () => {
    await step(
      'private project: 401 anonymously',
      async () => {
        await api().project.create.mutate({ name: privateProject, visibility: 'private' });
        createdProjects.push(privateProject);
        const reference = await pushToStackRegistry(privateProject, 'v1');
        const created = await api().deployment.create.mutate({ project: privateProject, image: reference });
        await deployedHealthy(privateProject, created.id);
        const anonymous = await waitFor(
          async () => {
            const answer = await proxyRequest(ports.http, { host: `${privateProject}.localhost` });
            return answer.status === 401 ? answer : null;
          },
          { description: 'the private route', timeoutMs: 30_000 },
        );
        expect(anonymous.body).not.toContain(`selfhost-${runId}`);
      },
      { critical: false },
    );
  }, 300_000);

  it('reports every running service healthy by its compose health check', async () => {
    await step(
      'health checks',
      async () => {
        const services = ['postgres', 'caddy', 'edge', 'registry', 'web', 'worker'];
        // The slowest checks run every 30 s, the first one 30 s after the container started.
        await waitFor(
          async () => {
            const states = await Promise.all(
              services.map(async (name) => (await containerOf(name)).State.Health?.Status),
            );
            return states.every((state) => state === 'healthy');
          },
          { description: 'every service to report healthy', timeoutMs: 120_000, intervalMs: 2000 },
        ).catch(async (error) => {
          const states = await Promise.all(
            services.map(async (name) => {
              const health = (await containerOf(name)).State.Health;
              return `${name}: ${health?.Status ?? 'no health check'} ${JSON.stringify(health?.Log?.at(-1)?.Output ?? '')}`;
            }),
          );
          throw new Error(`${(error as Error).message}\n${states.join('\n')}`);
        });
      },
      { critical: false },
    );
  }, 180_000);

  it('loses no app request while web and worker restart (docker-compose restart web worker)', async () => {
    const stats = await step('restart web worker under load', () => restartUnderLoad(['web', 'worker']), {
      critical: false,
    });
    expect(stats.ok).toBeGreaterThan(100);
    expect(stats.bodies).toEqual({ [`selfhost-${runId}`]: stats.ok });
    expect(stats.failed, stats.summary).toBe(0);
  }, 300_000);

  // Before the edge, Caddy was the only listener on the apps' port and its restart dropped the requests
  // of its 2-4 s down time (8,394 of 12,646 with 8 clients). The edge holds them until Caddy is back.
  it('loses no app request while Caddy restarts (docker-compose restart caddy)', async () => {
    const stats = await step('restart caddy under load', () => restartUnderLoad(['caddy']), {
      critical: false,
    });
    expect(stats.ok).toBeGreaterThan(100);
    expect(stats.bodies).toEqual({ [`selfhost-${runId}`]: stats.ok });
    expect(stats.failed, stats.summary).toBe(0);
  }, 300_000);

  it('leaves an app container no way to Caddy’s admin API, PostgreSQL or the Docker socket', async () => {
    await step(
      'apps network isolation',
      async () => {
        const [app] = await docker.listContainers({
          filters: { label: [`dev.rise.managed-by=${instanceId}`, `dev.rise.project=${publicProject}`] },
        });
        expect(app, 'the public project’s app container').toBeDefined();
        const appInfo = await docker.getContainer(app?.Id as string).inspect();
        const caddy = await containerOf('caddy');
        const postgres = await containerOf('postgres');
        const web = await containerOf('web');
        const registry = await containerOf('registry');
        const appNetworks = Object.keys(appInfo.NetworkSettings.Networks);
        const caddyOnAppNetwork = appNetworks
          .map((name) => caddy.NetworkSettings.Networks[name]?.IPAddress)
          .find(Boolean) as string;
        expect(caddyOnAppNetwork, 'Caddy shares a network with the app (control)').toMatch(/^\d+\./);
        const gateway = appInfo.NetworkSettings.Networks[appNetworks[0] as string]?.Gateway as string;
        const ipsOf = (info: Dockerode.ContainerInspectInfo) =>
          Object.values(info.NetworkSettings.Networks)
            .map((network) => network.IPAddress)
            .filter(Boolean);
        const hostAddresses = Object.values(networkInterfaces())
          .flat()
          .filter((address) => address && address.family === 'IPv4' && !address.internal)
          .map((address) => address?.address as string);

        const probes: { what: string; target: string }[] = [
          // Caddy's admin API has no TCP address; 2019 is where Caddy would listen without the socket.
          ...ipsOf(caddy).map((ip) => ({ what: "Caddy's admin API (tcp 2019)", target: `${ip} 2019` })),
          { what: "Caddy's admin API by name", target: 'caddy 2019' },
          ...ipsOf(postgres).map((ip) => ({ what: 'PostgreSQL', target: `${ip} 5432` })),
          { what: 'PostgreSQL by name', target: 'postgres 5432' },
          ...ipsOf(web).map((ip) => ({ what: "Rise's web server", target: `${ip} 3000` })),
          ...ipsOf(registry).map((ip) => ({ what: 'the registry', target: `${ip} 5000` })),
          ...[...new Set([gateway, ...hostAddresses])].flatMap((ip) => [
            { what: 'the Docker API (tcp)', target: `${ip} 2375` },
            { what: 'the Docker API (tls)', target: `${ip} 2376` },
            { what: 'PostgreSQL via the host', target: `${ip} 5432` },
            { what: 'the registry via the host', target: `${ip} ${ports.registry}` },
            { what: "Rise's web server via the host", target: `${ip} ${ports.web}` },
          ]),
        ];
        const script = [
          // The control: Caddy's HTTP port (the same number inside its container) answers on the app's network.
          `if /bin/busybox nc -w 3 ${caddyOnAppNetwork} ${ports.http} </dev/null >/dev/null 2>&1; then echo control-open; fi`,
          ...probes.map(
            (probe) =>
              `if /bin/busybox nc -w 2 ${probe.target} </dev/null >/dev/null 2>&1; then echo "open ${probe.target}"; fi`,
          ),
          // The Docker socket and Caddy's admin socket are not in the app's filesystem.
          'for socket in /var/run/docker.sock /run/docker.sock /run/caddy-admin/admin.sock; do',
          '  if [ -e "$socket" ]; then echo "present $socket"; fi',
          'done',
          'echo done',
        ].join('\n');
        const output = await runOrThrow(
          'docker',
          ['exec', app?.Id as string, '/bin/busybox', 'sh', '-c', script],
          {
            timeoutMs: 300_000,
          },
        );
        expect(output).toContain('control-open');
        expect(output).toContain('done');
        const open = output
          .split('\n')
          .filter((line) => line.startsWith('open ') || line.startsWith('present '));
        const named = open.map((line) => {
          const target = line.replace(/^(open|present) /, '');
          return `${probes.find((probe) => probe.target === target)?.what ?? 'socket'}: ${target}`;
        });
        // Joined: a failure names every reachable target (an array prints as [ …(3) ]).
        expect(named.join('\n')).toBe('');
        expect(appInfo.HostConfig.Binds ?? []).toEqual([]);
      },
      { critical: false },
    );
  }, 400_000);

  it('deletes its projects, then `docker-compose down -v` leaves no container, network or volume', async () => {
    if (!stack) throw new Error(`not run: "${broken}" failed before the stack existed`);
    await step(
      'delete projects, down -v',
      async () => {
        for (const project of createdProjects) {
          await api().project.delete.mutate({ project });
        }
        await waitFor(
          async () => {
            const containers = await docker.listContainers({
              all: true,
              filters: { label: [`dev.rise.managed-by=${instanceId}`] },
            });
            const networks = await docker.listNetworks({
              filters: { label: [`dev.rise.managed-by=${instanceId}`] },
            });
            return containers.length === 0 && networks.length === 0;
          },
          {
            description: 'the worker to remove the projects’ containers and networks',
            timeoutMs: 120_000,
            intervalMs: 1000,
          },
        );
        const result = await stack.down();
        stackDown = true;
        expect(result.code, result.stderr).toBe(0);
        expect(await stack.leftovers()).toEqual({ containers: [], networks: [], volumes: [] });
      },
      { always: true },
    );
  }, 300_000);
});

/**
 * `docker-compose build web` (the image web, worker and migrate share). Inside `docker build` the npm
 * registry's certificate is not trusted here, so the host's CA bundle goes where the Dockerfile takes
 * one from (deploy/build-ca/, ignored by git, read by the build stages only) for the build's duration.
 */
async function buildRiseImage() {
  const bundle = path.join(repoRoot, 'deploy', 'build-ca', 'selfhost-host-ca.crt');
  await copyFile(await hostCaBundle(), bundle);
  const previous = await docker
    .getImage(RISE_IMAGE)
    .inspect()
    .then(
      (image) => image.Id,
      () => null,
    );
  try {
    await stack.compose(['build', 'web'], { timeoutMs: 1_200_000, log: buildProgress });
  } finally {
    await rm(bundle, { force: true });
  }
  // The image an earlier run built is replaced, not kept untagged (its build stages stay as cache).
  const current = (await docker.getImage(RISE_IMAGE).inspect()).Id;
  if (previous && previous !== current) await runCommand('docker', ['rmi', previous]);
}

/** The CA bundle the host's npm trusts: its `cafile`, else the system bundle. */
async function hostCaBundle(): Promise<string> {
  const configured = (await runOrThrow('npm', ['config', 'get', 'cafile'])).trim();
  if (configured && configured !== 'null' && existsSync(configured)) return configured;
  return '/etc/ssl/certs/ca-certificates.crt';
}
