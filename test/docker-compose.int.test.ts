import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Validates docker-compose.yml with `docker-compose config` (Compose 1.29 from Debian, or v2).
// Nothing is started, no image is pulled; test/selfhost runs the stack for real.

const repoRoot = path.resolve(import.meta.dirname, '..');
const composeFile = path.join(repoRoot, 'docker-compose.yml');

/** The minimal .env: only what has no default. */
const requiredEnv = {
  POSTGRES_PASSWORD: 'pg-password-for-test',
  AUTH_SECRET: 'auth-secret-for-test-0123456789abcdef',
  RISE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  DOCKER_GID: '999',
};

const oidcEnv = {
  RISE_OIDC_ISSUER: 'https://login.example.test/dex',
  RISE_OIDC_CLIENT_ID: 'rise',
  RISE_OIDC_CLIENT_SECRET: 'oidc-secret-for-test',
};

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], input?: string, pathDirs?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Only PATH and HOME: variables from the test's own environment must not satisfy the compose file.
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: {
        PATH: pathDirs ?? process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? tmpdir(),
      } as unknown as NodeJS.ProcessEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function findOnPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  throw new Error(`${name} not found on PATH (Debian: apt-get install docker-compose)`);
}

const composeBinary = findOnPath('docker-compose');

function composeConfig(envFile: string, extra: string[] = [], profiles: string[] = []): Promise<RunResult> {
  return run(composeBinary, [
    '--env-file',
    envFile,
    '--project-directory',
    repoRoot,
    '-f',
    composeFile,
    ...profiles.flatMap((profile) => ['--profile', profile]),
    'config',
    ...extra,
  ]);
}

/** Compose 1.x prints YAML only; it is a Python program, so its interpreter has PyYAML to convert. */
async function yamlToJson(yaml: string): Promise<unknown> {
  const shebang = readFileSync(composeBinary, 'utf8').split('\n', 1)[0] ?? '';
  const [interpreter, ...interpreterArgs] = shebang.replace(/^#!/, '').trim().split(/\s+/);
  if (!shebang.startsWith('#!') || !interpreter)
    throw new Error(`cannot find the Python running ${composeBinary}`);
  const script = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const result = await run(interpreter, [...interpreterArgs, '-c', script], yaml);
  if (result.code !== 0) throw new Error(`YAML conversion failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

interface Service {
  image?: string;
  profiles?: string[];
  restart?: string;
  mem_limit?: string | number;
  logging?: { driver?: string; options?: Record<string, string | number> };
  /** Compose 1.x prints `disable: true` as `test: [NONE]`. */
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  build?: Record<string, unknown>;
  command?: string[];
  environment?: Record<string, string | null>;
  labels?: Record<string, string>;
  ports?: (string | { target: number | string; published?: number | string })[];
  expose?: (string | number)[];
  network_mode?: string;
  volumes?: (string | { source?: string; target: string })[];
  group_add?: (string | number)[];
  container_name?: string;
  sysctls?: Record<string, string | number>;
  /** Compose 1.x prints a map (name → settings or null), 2.x may print a list. */
  networks?: Record<string, unknown> | string[];
}

interface ComposeConfig {
  services: Record<string, Service>;
  networks?: Record<
    string,
    { name?: string; external?: unknown; ipam?: { config?: { subnet?: string }[] } } | null
  >;
  volumes?: Record<string, { name?: string; external?: unknown } | null>;
}

/** The compose networks a service joins (`default` when it names none). */
function networksOf(service: Service): string[] {
  if (service.network_mode) return [];
  if (!service.networks) return ['default'];
  return (Array.isArray(service.networks) ? service.networks : Object.keys(service.networks)).sort();
}

/** The compose key of the network Rise puts app containers on (named like RISE_DOCKER_NETWORK). */
function appsNetworkKey(): string {
  const name = config.services.worker?.environment?.RISE_DOCKER_NETWORK;
  const entry = Object.entries(config.networks ?? {}).find(([key, value]) => (value?.name ?? key) === name);
  if (!entry) throw new Error(`no compose network is named ${name} (RISE_DOCKER_NETWORK)`);
  return entry[0];
}

/** The aliases a service has on one of its networks. */
function aliasesOn(service: Service, network: string): string[] {
  if (!service.networks || Array.isArray(service.networks)) return [];
  return ((service.networks[network] as { aliases?: string[] } | null)?.aliases ?? []).slice().sort();
}

/** Host ports a service publishes. */
function publishedPorts(service: Service): number[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== 'string') return Number(port.published);
    const parts = (port.split('/')[0] ?? '').split(':');
    return Number(parts.length === 3 ? parts[1] : parts[0]);
  });
}

function containerPorts(service: Service): number[] {
  return (service.ports ?? []).map((port) =>
    typeof port === 'string' ? Number(port.split('/')[0]?.split(':').pop()) : Number(port.target),
  );
}

function mounts(service: Service): { source: string; target: string }[] {
  return (service.volumes ?? []).map((volume) => {
    if (typeof volume !== 'string') return { source: volume.source ?? '', target: volume.target };
    const [source = '', target = ''] = volume.split(':');
    return { source, target };
  });
}

let workDir: string;
let envFile: string;
let result: RunResult;
let config: ComposeConfig;

async function writeEnvFile(name: string, values: Record<string, string>): Promise<string> {
  const file = path.join(workDir, name);
  await writeFile(
    file,
    Object.entries(values)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
  );
  return file;
}

let composeMajor: number;

/** `docker-compose config` of an env file, parsed; throws with compose's message when it fails. */
async function render(
  file: string,
  profiles: string[] = [],
): Promise<{ result: RunResult; config: ComposeConfig }> {
  const rendered = await composeConfig(file, composeMajor >= 2 ? ['--format', 'json'] : [], profiles);
  if (rendered.code !== 0) return { result: rendered, config: { services: {} } };
  const parsed = composeMajor >= 2 ? JSON.parse(rendered.stdout) : await yamlToJson(rendered.stdout);
  return { result: rendered, config: parsed as ComposeConfig };
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'rise-compose-'));
  const version = await run(composeBinary, ['version', '--short']);
  composeMajor = Number(version.stdout.trim().replace(/^v/, '').split('.')[0]);
  envFile = await writeEnvFile('complete.env', {
    ...requiredEnv,
    ...oidcEnv,
    RISE_URL: 'https://rise.example.test',
  });
  ({ result, config } = await render(envFile, ['dex']));
}, 60_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('docker-compose.yml with a complete .env', () => {
  it('passes `docker-compose config`', () => {
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  it('defines exactly postgres, dex, caddy, edge, registry, migrate, web and worker, each labelled with its name', () => {
    expect(Object.keys(config.services).sort()).toEqual(
      ['caddy', 'dex', 'edge', 'migrate', 'postgres', 'registry', 'web', 'worker'].sort(),
    );
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.labels?.['dev.rise.component'], name).toBe(name);
    }
  });

  it('builds migrate, web, worker and edge from the same Dockerfile target and image, each with its command', () => {
    const { migrate, web, worker, edge } = config.services;
    expect(web?.build).toMatchObject({ target: 'runtime' });
    for (const other of [worker, migrate, edge]) {
      expect(other?.build).toEqual(web?.build);
      expect(other?.image).toBe(web?.image);
    }
    expect(edge?.command).toEqual(['edge']);
    expect(migrate?.command).toEqual(['migrate']);
    expect(web?.command).toEqual(['web']);
    expect(worker?.command).toEqual(['worker']);
  });

  it('migrates once before web and worker start: they wait for the one-shot migrate service to succeed', () => {
    const { migrate } = config.services;
    expect(migrate?.restart).toBe('no');
    expect(migrate?.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    for (const name of ['web', 'worker']) {
      expect(config.services[name]?.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    // Migrations need the database, not the application's secrets.
    expect(Object.keys(migrate?.environment ?? {}).sort()).toEqual(['DATABASE_URL', 'NODE_ENV']);
  });

  it('rotates the logs of every service (json-file with max-size and max-file) and limits its memory', () => {
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.logging?.driver, name).toBe('json-file');
      expect(service.logging?.options?.['max-size'], name).toBe('10m');
      expect(String(service.logging?.options?.['max-file']), name).toBe('5');
      expect(service.mem_limit, name).toBeTruthy();
    }
  });

  it('gives every long-running service a health check; only the one-shot migrate has none', () => {
    for (const [name, service] of Object.entries(config.services)) {
      const test = service.healthcheck?.test;
      const disabled = service.healthcheck?.disable === true || (Array.isArray(test) && test[0] === 'NONE');
      if (name === 'migrate') {
        expect(disabled, name).toBe(true);
        continue;
      }
      expect(disabled, name).toBe(false);
      expect(Array.isArray(test) ? test[0] : test, name).toMatch(/^CMD(-SHELL)?$/);
    }
    expect(config.services.registry?.healthcheck?.test?.[1]).toContain('http://127.0.0.1:5000/v2/');
    expect(config.services.worker?.healthcheck?.test).toEqual([
      'CMD',
      'node',
      '/app/scripts/healthcheck.mjs',
      'worker',
    ]);
  });

  it('gives the worker the Docker socket', () => {
    const worker = config.services.worker as Service;
    expect(mounts(worker)).toContainEqual({ source: '/var/run/docker.sock', target: '/var/run/docker.sock' });
    expect(worker.group_add?.map(String)).toEqual(['999']);
  });

  it('puts the Caddy admin API on a unix socket that only caddy, web and worker mount, with no TCP address', () => {
    const caddy = config.services.caddy as Service;
    expect(caddy.environment?.CADDY_ADMIN).toBe('unix//run/caddy-admin/admin.sock|0222');
    expect(containerPorts(caddy)).toEqual([]);
    expect(caddy.network_mode).toBeUndefined();
    expect(caddy.expose ?? []).toEqual([]);
    for (const name of ['web', 'worker']) {
      expect(config.services[name]?.environment?.RISE_CADDY_ADMIN_URL, name).toBe(
        'unix:///run/caddy-admin/admin.sock',
      );
    }
    const socketVolume = mounts(caddy).find((mount) => mount.target === '/run/caddy-admin')?.source;
    expect(socketVolume).toBeTruthy();
    const sharing = Object.entries(config.services)
      .filter(([, service]) => mounts(service).some((mount) => mount.source === socketVolume))
      .map(([name]) => name);
    expect(sharing.sort()).toEqual(['caddy', 'web', 'worker']);
  });

  it("serves app output and exec to the web server through the worker's gateway socket, shared by those two only", () => {
    const socket = '/run/rise-gateway/gateway.sock';
    const volumes = ['web', 'worker'].map((name) => {
      const service = config.services[name] as Service;
      expect(service.environment?.RISE_RUNTIME_GATEWAY_SOCKET, name).toBe(socket);
      return mounts(service).find((mount) => mount.target === '/run/rise-gateway')?.source;
    });
    expect(volumes[0]).toBeTruthy();
    expect(volumes[1]).toBe(volumes[0]);
    const sharing = Object.entries(config.services)
      .filter(([, service]) => mounts(service).some((mount) => mount.source === volumes[0]))
      .map(([name]) => name);
    expect(sharing.sort()).toEqual(['web', 'worker']);
  });

  it('gives no service a TCP admin address: no CADDY_ADMIN or RISE_CADDY_ADMIN_URL on a network', () => {
    for (const [name, service] of Object.entries(config.services)) {
      const admin = service.environment?.CADDY_ADMIN;
      if (admin !== undefined) expect(admin, name).toMatch(/^unix\/\//);
      const adminUrl = service.environment?.RISE_CADDY_ADMIN_URL;
      if (adminUrl !== undefined) expect(adminUrl, name).toMatch(/^unix:\/\/\//);
      expect(JSON.stringify(service), name).not.toContain('2019');
    }
  });

  it('keeps the control plane off the apps network: only caddy and the worker (which listens on nothing) join it', () => {
    const apps = appsNetworkKey();
    const members = Object.entries(config.services)
      .filter(([, service]) => networksOf(service).includes(apps))
      .map(([name]) => name);
    expect(members.sort()).toEqual(['caddy', 'worker']);
    const worker = config.services.worker as Service;
    expect(worker.ports ?? []).toEqual([]);
    expect(worker.expose ?? []).toEqual([]);
    for (const name of ['postgres', 'dex', 'registry', 'migrate', 'web']) {
      expect(networksOf(config.services[name] as Service), name).toEqual(['internal']);
    }
    // Caddy reaches the web server on the internal network, app slots on the apps network; the edge
    // reaches Caddy on its own two networks, and nothing else.
    expect(networksOf(config.services.caddy as Service)).toEqual(['apps', 'edge', 'edge-tls', 'internal']);
    expect(networksOf(config.services.edge as Service)).toEqual(['edge', 'edge-tls']);
    expect(networksOf(config.services.worker as Service)).toEqual(['apps', 'internal'].sort());
    expect(config.services.web?.environment?.RISE_PROXY_UPSTREAM_MODE).toBe('network');
  });

  it('gives web and worker the internal addresses of the web server and the registry, and the public ones apart', () => {
    for (const name of ['web', 'worker']) {
      expect(config.services[name]?.environment, name).toMatchObject({
        RISE_INTERNAL_URL: 'http://web:3000',
        RISE_REGISTRY_INTERNAL_URL: 'http://registry:5000',
        RISE_REGISTRY_HOST: '127.0.0.1:5000',
        RISE_URL: 'https://rise.example.test',
        RISE_INSTANCE_ID: 'rise',
      });
    }
  });

  it('attaches exactly Caddy and the worker to every project network, by their pinned container names', () => {
    const attached = config.services.worker?.environment?.RISE_DOCKER_ATTACH_CONTAINERS?.split(',');
    expect(attached?.sort()).toEqual(
      [config.services.caddy?.container_name, config.services.worker?.container_name].sort(),
    );
    expect(attached?.every(Boolean)).toBe(true);
    expect(config.services.worker?.environment?.RISE_DOCKER_SUBNET_POOL).toBe('10.213.0.0/16');
  });

  it('publishes control-plane ports on the host loopback only; only the edge listens on all interfaces', () => {
    for (const [name, service] of Object.entries(config.services)) {
      for (const port of service.ports ?? []) {
        const published = typeof port === 'string' ? port : JSON.stringify(port);
        if (name === 'edge') continue;
        expect(typeof port === 'string' && port.startsWith('127.0.0.1:'), `${name}: ${published}`).toBe(true);
      }
    }
  });

  it('mounts the Docker socket into the worker only', () => {
    const withSocket = Object.entries(config.services)
      .filter(([, service]) => mounts(service).some((mount) => mount.source.endsWith('docker.sock')))
      .map(([name]) => name);
    expect(withSocket).toEqual(['worker']);
  });

  it('puts the registry in token-auth mode against Rise, with the certificate the web service writes', () => {
    const registry = config.services.registry as Service;
    expect(registry.environment).toMatchObject({
      REGISTRY_AUTH_TOKEN_REALM: 'https://rise.example.test/api/registry/token',
      REGISTRY_AUTH_TOKEN_SERVICE: 'rise-registry',
      REGISTRY_AUTH_TOKEN_ISSUER: 'rise',
      REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE: '/certs/rise-registry.crt',
    });
    const certVolume = mounts(registry).find((mount) => mount.target === '/certs');
    expect(certVolume?.source).toBeTruthy();
    expect(mounts(config.services.web as Service)).toContainEqual({
      source: certVolume?.source,
      target: '/var/lib/rise/registry-certs',
    });
  });

  it('passes the secrets to web and points Dex and Rise at the same issuer', () => {
    const { web, dex } = config.services;
    expect(web?.environment).toMatchObject({
      AUTH_SECRET: requiredEnv.AUTH_SECRET,
      RISE_ENCRYPTION_KEY: requiredEnv.RISE_ENCRYPTION_KEY,
      ...oidcEnv,
      RISE_URL: 'https://rise.example.test',
      DATABASE_URL: `postgresql://rise:${requiredEnv.POSTGRES_PASSWORD}@postgres:5432/rise`,
    });
    expect(dex?.environment?.DEX_ISSUER).toBe(web?.environment?.RISE_OIDC_ISSUER);
    expect(dex?.environment?.RISE_OIDC_CLIENT_SECRET).toBe(oidcEnv.RISE_OIDC_CLIENT_SECRET);
  });

  it('publishes the default ports: apps on 80/443 on all interfaces, web, registry and Dex on loopback', () => {
    const ports = Object.fromEntries(
      Object.entries(config.services).map(([name, service]) => [name, publishedPorts(service).sort()]),
    );
    expect(ports).toEqual({
      caddy: [],
      dex: [5556],
      edge: [443, 80],
      migrate: [],
      postgres: [],
      registry: [5000],
      web: [3000],
      worker: [],
    });
  });
  it("puts the edge in front of Caddy: Caddy trusts the client address only from the edge's HTTP network", () => {
    const edge = config.services.edge as Service;
    const caddy = config.services.caddy as Service;
    expect(containerPorts(edge).sort()).toEqual([8080, 8443]);
    expect(edge.environment).toMatchObject({
      RISE_EDGE_UPSTREAM: 'caddy-http:80',
      RISE_EDGE_TLS_UPSTREAM: 'caddy-tls:443',
    });
    // Each name resolves on one network only: plain HTTP arrives from the trusted subnet, passed-through
    // TLS (whose headers the client wrote) from the other network.
    // A config change (a deploy's traffic switch) must not reset connections queued on Caddy's listener.
    expect(String(caddy.sysctls?.['net.ipv4.tcp_migrate_req'])).toBe('1');
    expect(aliasesOn(caddy, 'edge')).toEqual(['caddy-http']);
    expect(aliasesOn(caddy, 'edge-tls')).toEqual(['caddy-tls']);
    const subnet = config.networks?.edge?.ipam?.config?.[0]?.subnet;
    expect(subnet).toBe('10.212.0.0/28');
    for (const name of ['web', 'worker']) {
      expect(config.services[name]?.environment?.RISE_PROXY_TRUSTED_PROXIES, name).toBe(subnet);
    }
    expect(config.networks?.['edge-tls']?.ipam?.config ?? []).toEqual([]);
    // Only Rise's settings for the edge: no secrets, no database.
    expect(Object.keys(edge.environment ?? {}).sort()).toEqual(
      ['NODE_ENV', 'RISE_EDGE_TLS_UPSTREAM', 'RISE_EDGE_UPSTREAM', 'RISE_EDGE_WAIT_SECONDS'].sort(),
    );
    expect(edge.healthcheck?.test).toEqual(['CMD', 'node', '/app/scripts/healthcheck.mjs', 'edge']);
  });

  it('puts Dex, and only Dex, behind the `dex` profile', () => {
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.profiles ?? [], name).toEqual(name === 'dex' ? ['dex'] : []);
    }
  });
});

describe('the shell health checks (caddy, registry, dex) in the tools of the official images', () => {
  // The official Alpine images have busybox's sh, wget and grep, and nothing else; Debian stand-ins may
  // have only curl. Each check runs with exactly one of those tool sets against a real HTTP server.
  let server: Server;
  let port: number;
  const toolsets: Record<string, string> = {};

  beforeAll(async () => {
    server = createServer((request, response) => {
      // The registry's /v2/ with token auth, Dex's health endpoint, Caddy's HTTP→HTTPS redirect.
      response.statusCode = request.url === '/v2/' ? 401 : request.url === '/dex/healthz' ? 200 : 308;
      response.setHeader('location', 'https://apps.example.test/');
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const link = async (set: string, name: string, target: string) => {
      await mkdir(path.join(workDir, set), { recursive: true });
      await symlink(target, path.join(workDir, set, name));
    };
    const busybox = findOnPath('busybox');
    for (const tool of ['sh', 'wget', 'grep']) await link('busybox', tool, busybox);
    await link('curl', 'sh', findOnPath('sh'));
    await link('curl', 'curl', findOnPath('curl'));
    await link('curl', 'grep', findOnPath('grep'));
    toolsets.busybox = path.join(workDir, 'busybox');
    toolsets.curl = path.join(workDir, 'curl');
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const shellChecks = () =>
    Object.entries(config.services)
      .filter(([, service]) => service.healthcheck?.test?.[0] === 'CMD-SHELL')
      .map(([name, service]) => [name, String(service.healthcheck?.test?.[1])] as const);

  it('exist for caddy, registry and dex, each dialling its own port on loopback', () => {
    expect(
      Object.fromEntries(shellChecks().map(([name, command]) => [name, command.match(/127\.0\.0\.1:\d+/g)])),
    ).toEqual({
      caddy: ['127.0.0.1:80', '127.0.0.1:80'],
      dex: ['127.0.0.1:5556', '127.0.0.1:5556'],
      registry: ['127.0.0.1:5000', '127.0.0.1:5000'],
    });
  });

  it('pass when the service answers and fail when nothing listens, with busybox alone or curl alone', async () => {
    for (const [name, command] of shellChecks()) {
      for (const [set, dirs] of Object.entries(toolsets)) {
        const up = await run(
          'sh',
          ['-c', command.replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${port}`)],
          undefined,
          dirs,
        );
        expect(up.code, `${name} with ${set}: ${up.stderr}`).toBe(0);
        // Port 9 (discard) on loopback: nothing listens there.
        const down = await run(
          'sh',
          ['-c', command.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:9')],
          undefined,
          dirs,
        );
        expect(down.code, `${name} with ${set}, nothing listening`).not.toBe(0);
      }
    }
  }, 60_000);
});

describe('docker-compose.yml with the minimal .env (no OIDC, no ports, no names)', () => {
  let minimal: ComposeConfig;
  let minimalResult: RunResult;

  beforeAll(async () => {
    ({ result: minimalResult, config: minimal } = await render(
      await writeEnvFile('minimal.env', requiredEnv),
    ));
  }, 60_000);

  it('renders, with OIDC off (empty, not Dex) and local accounts left to the server (on without OIDC)', () => {
    expect(minimalResult.stderr).not.toMatch(/error/i);
    expect(minimalResult.code).toBe(0);
    for (const name of ['web', 'worker']) {
      expect(minimal.services[name]?.environment, name).toMatchObject({
        RISE_OIDC_ISSUER: '',
        RISE_OIDC_CLIENT_ID: '',
        RISE_OIDC_CLIENT_SECRET: '',
        // Empty: the server's default, local accounts exactly when OIDC is not configured.
        RISE_LOCAL_AUTH: '',
      });
    }
  });

  it('starts no Dex without the profile (Compose 2 drops it, Compose 1.29 keeps it marked with the profile)', () => {
    const dex = minimal.services.dex;
    if (composeMajor >= 2) expect(dex).toBeUndefined();
    else expect(dex?.profiles).toEqual(['dex']);
  });
});

describe('two installations on one Docker engine', () => {
  const installs = {
    a: {
      COMPOSE_PROJECT_NAME: 'rise-a',
      RISE_INSTANCE_ID: 'rise-a',
      RISE_WEB_PORT: '13001',
      RISE_REGISTRY_PORT: '13002',
      RISE_HTTP_PORT: '13003',
      RISE_HTTPS_PORT: '13004',
      RISE_DEX_PORT: '13005',
      RISE_EDGE_SUBNET: '10.212.1.0/28',
    },
    b: {
      COMPOSE_PROJECT_NAME: 'rise-b',
      RISE_INSTANCE_ID: 'rise-b',
      RISE_WEB_PORT: '14001',
      RISE_REGISTRY_PORT: '14002',
      RISE_HTTP_PORT: '14003',
      RISE_HTTPS_PORT: '14004',
      RISE_DEX_PORT: '14005',
      RISE_EDGE_SUBNET: '10.212.2.0/28',
    },
  };
  const rendered: Record<string, ComposeConfig> = {};

  beforeAll(async () => {
    for (const [key, values] of Object.entries(installs)) {
      const { result: each, config: parsed } = await render(
        await writeEnvFile(`${key}.env`, { ...requiredEnv, ...values }),
        ['dex'],
      );
      if (each.code !== 0) throw new Error(`docker-compose config failed for install ${key}: ${each.stderr}`);
      rendered[key] = parsed;
    }
  }, 60_000);

  it('publishes every host port from a variable: none stays at a fixed number', () => {
    for (const [key, values] of Object.entries(installs)) {
      const chosen = Object.entries(values)
        .filter(([name]) => name.endsWith('_PORT'))
        .map(([, port]) => Number(port));
      const published = Object.values(rendered[key]?.services ?? {}).flatMap(publishedPorts);
      expect(published.sort(), key).toEqual(chosen.sort());
    }
    // The edge publishes the apps' ports; Caddy listens inside its container on the same numbers,
    // which Rise configures, and the edge dials them.
    expect(rendered.a?.services.edge?.environment).toMatchObject({
      RISE_EDGE_UPSTREAM: 'caddy-http:13003',
      RISE_EDGE_TLS_UPSTREAM: 'caddy-tls:13004',
    });
    expect(rendered.a?.services.web?.environment).toMatchObject({
      RISE_PROXY_HTTP_PORT: '13003',
      RISE_PROXY_HTTPS_PORT: '13004',
      RISE_REGISTRY_HOST: '127.0.0.1:13002',
    });
  });

  it('names containers, the apps network and what Rise creates per installation, with nothing shared', () => {
    const namesOf = (parsed: ComposeConfig) => {
      const services = Object.values(parsed.services);
      const environment = parsed.services.worker?.environment ?? {};
      return [
        ...services.map((service) => service.container_name).filter(Boolean),
        ...Object.values(parsed.networks ?? {})
          .map((network) => network?.name)
          .filter(Boolean),
        ...Object.values(parsed.volumes ?? {})
          .map((volume) => volume?.name)
          .filter(Boolean),
        environment.RISE_INSTANCE_ID,
        environment.RISE_DOCKER_NETWORK,
        ...(environment.RISE_DOCKER_ATTACH_CONTAINERS?.split(',') ?? []),
      ] as string[];
    };
    const a = namesOf(rendered.a as ComposeConfig);
    const b = namesOf(rendered.b as ComposeConfig);
    expect(a).toContain('rise-a-caddy');
    expect(a).toContain('rise-a-apps');
    expect(b).toContain('rise-b-worker');
    expect(a.filter((name) => b.includes(name))).toEqual([]);
    // The edge networks' fixed subnets, too.
    expect(rendered.a?.networks?.edge?.ipam?.config?.[0]?.subnet).toBe('10.212.1.0/28');
    expect(rendered.b?.services.web?.environment?.RISE_PROXY_TRUSTED_PROXIES).toBe('10.212.2.0/28');
    // Compose names volumes and the internal network after the project (Compose 2 prints those names).
    for (const key of ['a', 'b'] as const) {
      const parsed = rendered[key] as ComposeConfig;
      for (const [volume, settings] of Object.entries(parsed.volumes ?? {})) {
        if (settings?.name) expect(settings.name, volume).toBe(`rise-${key}_${volume}`);
      }
      const internal = parsed.networks?.internal?.name;
      if (internal) expect(internal).toBe(`rise-${key}_internal`);
    }
  });

  it("garbage-collects each installation's own registry, in that registry's container", () => {
    for (const key of ['a', 'b'] as const) {
      const parsed = rendered[key] as ComposeConfig;
      const registry = parsed.services.registry?.container_name;
      expect(registry).toBe(`rise-${key}-registry`);
      expect(parsed.services.worker?.environment?.RISE_REGISTRY_GC_CONTAINER).toBe(registry);
    }
  });

  it("attaches each installation's own Caddy and worker to its project networks", () => {
    for (const key of ['a', 'b'] as const) {
      const parsed = rendered[key] as ComposeConfig;
      const worker = parsed.services.worker as Service;
      expect(worker.environment?.RISE_DOCKER_ATTACH_CONTAINERS?.split(',').sort()).toEqual(
        [parsed.services.caddy?.container_name, worker.container_name].sort(),
      );
      expect(worker.environment?.RISE_DOCKER_NETWORK).toBe(`rise-${key}-apps`);
      expect(Object.values(parsed.networks ?? {}).map((network) => network?.name)).toContain(
        `rise-${key}-apps`,
      );
      expect(parsed.services.web?.environment?.RISE_INSTANCE_ID).toBe(`rise-${key}`);
    }
  });
});

describe('docker-compose.yml with an incomplete .env', () => {
  it('fails `docker-compose config` naming AUTH_SECRET when it is missing', async () => {
    const { AUTH_SECRET: _omitted, ...withoutAuthSecret } = requiredEnv;
    const incomplete = await composeConfig(await writeEnvFile('incomplete.env', withoutAuthSecret));
    expect(incomplete.code).not.toBe(0);
    expect(incomplete.stderr).toContain('AUTH_SECRET');
  }, 60_000);
});

describe('deploy/.env.example', () => {
  it('lists every variable docker-compose.yml reads', () => {
    const composeText = readFileSync(composeFile, 'utf8');
    const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]));
    const example = readFileSync(path.join(repoRoot, 'deploy/.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect([...used].filter((name) => !listed.has(name))).toEqual([]);
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.find((stage) => /^\S+ AS runtime$/m.test(stage.split('\n', 1)[0] ?? '')) ?? '';

  it('builds every stage on the NODE_IMAGE argument, installs from the lockfile with `npm ci`', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage.split('\n', 1)[0]).toMatch(/^(\$\{NODE_IMAGE\}|base|deps) AS /);
    expect(dockerfile).toMatch(/\bnpm ci\b/);
    expect(dockerfile).not.toMatch(/npm (install|i)\b(?! --global)/);
    expect(dockerfile).toMatch(/^ARG NPM_CONFIG_REGISTRY=$/m);
  });

  it('runs as an unprivileged user and copies only the assembled build output into the runtime stage', () => {
    const users = [...runtime.matchAll(/^USER (\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBe('rise');
    const copies = [...runtime.matchAll(/^COPY .*$/gm)].map((match) => match[0]);
    expect(copies).toEqual(['COPY --from=build /out/ /app/']);
    expect(runtime).not.toContain('build-ca');
  });

  it('names no npm registry host in the files an operator copies or builds with', async () => {
    const registry = await run('npm', ['config', 'get', 'registry']);
    const host = new URL(registry.stdout.trim()).hostname;
    expect(host).toMatch(/\./);
    for (const file of [
      'Dockerfile',
      'docker-compose.yml',
      'deploy/.env.example',
      'deploy/README.md',
      '.dockerignore',
    ]) {
      expect(readFileSync(path.join(repoRoot, file), 'utf8'), file).not.toContain(host);
    }
  });

  it('keeps dependencies, build output, local data, secrets and tests out of the build context', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of [
      'node_modules',
      '.next',
      '.rise',
      '.env',
      '.git',
      'test',
      'src/generated',
      'cli/dist',
    ]) {
      expect(ignored, entry).toContain(entry);
    }
    expect(ignored).toContain('!deploy/build-ca');
  });
});
