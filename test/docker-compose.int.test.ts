import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Validates docker-compose.yml with `docker-compose config` (Compose 1.29 from Debian, or v2).
// Nothing is started, no image is pulled.

const repoRoot = path.resolve(import.meta.dirname, '..');
const composeFile = path.join(repoRoot, 'docker-compose.yml');

const requiredEnv = {
  POSTGRES_PASSWORD: 'pg-password-for-test',
  AUTH_SECRET: 'auth-secret-for-test-0123456789abcdef',
  RISE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  RISE_OIDC_CLIENT_SECRET: 'oidc-secret-for-test',
  DOCKER_GID: '999',
};

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Only PATH and HOME: variables from the test's own environment must not satisfy the compose file.
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
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

function composeConfig(envFile: string, extra: string[] = []): Promise<RunResult> {
  return run(composeBinary, [
    '--env-file',
    envFile,
    '--project-directory',
    repoRoot,
    '-f',
    composeFile,
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
  /** Compose 1.x prints a map (name → settings or null), 2.x may print a list. */
  networks?: Record<string, unknown> | string[];
}

interface ComposeConfig {
  services: Record<string, Service>;
  networks?: Record<string, { name?: string; external?: unknown } | null>;
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

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'rise-compose-'));
  envFile = await writeEnvFile('complete.env', { ...requiredEnv, RISE_URL: 'https://rise.example.test' });
  const version = await run(composeBinary, ['version', '--short']);
  const major = Number(version.stdout.trim().replace(/^v/, '').split('.')[0]);
  if (major >= 2) {
    result = await composeConfig(envFile, ['--format', 'json']);
    if (result.code === 0) config = JSON.parse(result.stdout) as ComposeConfig;
  } else {
    result = await composeConfig(envFile);
    if (result.code === 0) config = (await yamlToJson(result.stdout)) as ComposeConfig;
  }
}, 60_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('docker-compose.yml with a complete .env', () => {
  it('passes `docker-compose config`', () => {
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
  });

  it('defines exactly postgres, dex, caddy, registry, web and worker, each labelled with its name', () => {
    expect(Object.keys(config.services).sort()).toEqual(
      ['caddy', 'dex', 'postgres', 'registry', 'web', 'worker'].sort(),
    );
    for (const [name, service] of Object.entries(config.services)) {
      expect(service.labels?.['dev.rise.component'], name).toBe(name);
    }
  });

  it('builds web and worker from the same Dockerfile target and image', () => {
    const { web, worker } = config.services;
    expect(web?.build).toMatchObject({ target: 'runtime' });
    expect(worker?.build).toEqual(web?.build);
    expect(worker?.image).toBe(web?.image);
    expect(worker?.command).toEqual(['node', '--import', 'tsx', 'worker/main.ts']);
  });

  it('gives the worker the Docker socket', () => {
    const worker = config.services.worker as Service;
    expect(mounts(worker)).toContainEqual({ source: '/var/run/docker.sock', target: '/var/run/docker.sock' });
    expect(worker.group_add?.map(String)).toEqual(['999']);
  });

  it('puts the Caddy admin API on a unix socket that only caddy, web and worker mount, with no TCP address', () => {
    const caddy = config.services.caddy as Service;
    expect(caddy.environment?.CADDY_ADMIN).toBe('unix//run/caddy-admin/admin.sock|0222');
    expect(containerPorts(caddy).sort()).toEqual([443, 80]);
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
    for (const name of ['postgres', 'dex', 'registry', 'web']) {
      expect(networksOf(config.services[name] as Service), name).toEqual(['internal']);
    }
    // Caddy reaches the web server on the internal network, app slots on the apps network.
    expect(networksOf(config.services.caddy as Service)).toEqual(['apps', 'internal'].sort());
    expect(networksOf(config.services.worker as Service)).toEqual(['apps', 'internal'].sort());
    expect(config.services.web?.environment?.RISE_HOST).toBe('web');
    expect(config.services.web?.environment?.RISE_PROXY_UPSTREAM_MODE).toBe('network');
  });

  it('attaches exactly Caddy and the worker to every project network, by their pinned container names', () => {
    const attached = config.services.worker?.environment?.RISE_DOCKER_ATTACH_CONTAINERS?.split(',');
    expect(attached?.sort()).toEqual(
      [config.services.caddy?.container_name, config.services.worker?.container_name].sort(),
    );
    expect(attached?.every(Boolean)).toBe(true);
    expect(config.services.worker?.environment?.RISE_DOCKER_SUBNET_POOL).toBe('10.213.0.0/16');
  });

  it('publishes control-plane ports on the host loopback only; only Caddy listens on all interfaces', () => {
    for (const [name, service] of Object.entries(config.services)) {
      for (const port of service.ports ?? []) {
        const published = typeof port === 'string' ? port : JSON.stringify(port);
        if (name === 'caddy') continue;
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
      RISE_OIDC_CLIENT_SECRET: requiredEnv.RISE_OIDC_CLIENT_SECRET,
      RISE_OIDC_CLIENT_ID: 'rise',
      RISE_URL: 'https://rise.example.test',
      DATABASE_URL: `postgresql://rise:${requiredEnv.POSTGRES_PASSWORD}@postgres:5432/rise`,
    });
    expect(dex?.environment?.DEX_ISSUER).toBe(web?.environment?.RISE_OIDC_ISSUER);
    expect(dex?.environment?.RISE_OIDC_CLIENT_SECRET).toBe(requiredEnv.RISE_OIDC_CLIENT_SECRET);
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
