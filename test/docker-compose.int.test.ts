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
}

interface ComposeConfig {
  services: Record<string, Service>;
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

  it('keeps the Caddy admin API off the host: listening inside, port 2019 not published', () => {
    const caddy = config.services.caddy as Service;
    expect(caddy.environment?.CADDY_ADMIN).toBe('0.0.0.0:2019');
    expect(containerPorts(caddy).sort()).toEqual([443, 80]);
    expect(caddy.network_mode).toBeUndefined();
    expect(caddy.expose ?? []).toEqual([]);
    expect(config.services.web?.environment?.RISE_CADDY_ADMIN_URL).toBe('http://caddy:2019');
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
