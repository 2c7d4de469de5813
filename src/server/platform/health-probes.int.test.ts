import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { checkPlatformHealth } from '@/server/domains/platform/platform-health.service';
import { recordWorkerHeartbeat } from '@/server/domains/platform/worker-heartbeat.service';
import { ensureRegistrySigningKey } from '@/server/registry/signing-key';
import { startCaddy, type TestCaddy } from '../../../test/caddy';
import { startRegistry, type TestRegistry } from '../../../test/registry';
import { freePort } from './free-port';
import { platformHealthProbes } from './health-probes';
import { checkDockerRuntime } from './worker-heartbeat';

// The admin page's health panel against the real PostgreSQL, Docker engine, registry and Caddy.

const RISE_URL = 'http://localhost:3999';
let caddy: TestCaddy;
let registry: TestRegistry;
let anonymousRegistry: TestRegistry;
let foreignIssuerRegistry: TestRegistry;
let dataDir: string;

const settings = (overrides: Record<string, string>) =>
  parseEnv({
    ...process.env,
    RISE_URL,
    RISE_DATA_DIR: dataDir,
    RISE_INSTANCE_ID: `health-${randomBytes(3).toString('hex')}`,
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_REGISTRY_HOST: registry.host,
    ...overrides,
  });

const registryHealth = async (overrides: Record<string, string>) =>
  (await checkPlatformHealth(platformHealthProbes(settings(overrides)))).find(
    (r) => r.component === 'registry',
  );

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rise-health-'));
  const key = await ensureRegistrySigningKey(dataDir);
  const tokenAuth = {
    realm: `${RISE_URL}/api/registry/token`,
    service: 'rise-registry',
    issuer: 'rise',
    rootCertBundle: key.certificatePath,
  };
  [caddy, registry, anonymousRegistry, foreignIssuerRegistry] = await Promise.all([
    startCaddy(),
    startRegistry({ tokenAuth }),
    startRegistry(),
    startRegistry({ tokenAuth: { ...tokenAuth, issuer: 'someone-else' } }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([
    caddy?.stop(),
    registry?.stop(),
    anonymousRegistry?.stop(),
    foreignIssuerRegistry?.stop(),
  ]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('platform health probes', () => {
  it('report every component as ok when it answers', async () => {
    // The runtime as a worker on this machine checks and reports it.
    const runtime = await checkDockerRuntime(settings({}));
    await recordWorkerHeartbeat(
      {
        id: `health-${randomBytes(4).toString('hex')}`,
        hostname: 'test',
        pid: process.pid,
        startedAt: new Date(),
      },
      runtime,
    );
    const results = await checkPlatformHealth(platformHealthProbes(settings({})));
    expect(results.map(({ component, ok }) => [component, ok])).toEqual([
      ['database', true],
      ['runtime', true],
      ['registry', true],
      ['proxy', true],
    ]);
    expect(results.find((r) => r.component === 'database')?.detail).toMatch(/^PostgreSQL \d+\.\d+/);
    expect(results.find((r) => r.component === 'runtime')?.detail).toMatch(
      /^worker last seen \d+ s ago: Docker engine reachable \(0 instances\)$/,
    );
    expect(results.find((r) => r.component === 'registry')?.detail).toBe(
      `${registry.host}: running, token auth by Rise`,
    );
  });

  it('name the component that is down and why', async () => {
    const closed = await freePort();
    const results = await checkPlatformHealth(
      platformHealthProbes(
        settings({
          RISE_CADDY_ADMIN_URL: `http://127.0.0.1:${closed}`,
          RISE_REGISTRY_HOST: `127.0.0.1:${closed}`,
        }),
      ),
    );
    const byComponent = Object.fromEntries(results.map((r) => [r.component, r]));
    expect(byComponent.database?.ok).toBe(true);
    expect(byComponent.proxy).toMatchObject({ ok: false });
    expect(byComponent.proxy?.detail).toContain('ECONNREFUSED');
    expect(byComponent.registry).toMatchObject({
      ok: false,
      detail: `not running at 127.0.0.1:${closed} (connection refused) — npm start runs it when docker-registry is installed (Debian: apt-get install docker-registry)`,
    });
  });

  it('probe the registry at its internal address, not at RISE_REGISTRY_HOST (the host’s, in compose)', async () => {
    // The public address is not reachable from here; the internal one is where the registry runs.
    const closed = await freePort();
    const health = await registryHealth({
      RISE_REGISTRY_HOST: `127.0.0.1:${closed}`,
      RISE_REGISTRY_INTERNAL_URL: `http://${registry.host}`,
    });
    expect(health).toMatchObject({
      ok: true,
      detail: `127.0.0.1:${closed} (at http://${registry.host}): running, token auth by Rise`,
    });
  });

  it('flag a registry without token auth', async () => {
    const health = await registryHealth({ RISE_REGISTRY_HOST: anonymousRegistry.host });
    expect(health?.ok).toBe(false);
    expect(health?.detail).toMatch(
      new RegExp(
        `^${anonymousRegistry.host.replaceAll('.', '\\.')} runs without token auth: anyone who reaches it`,
      ),
    );
  });

  it("name the realm, service and issuer when the registry's token auth does not match Rise", async () => {
    expect(await registryHealth({ RISE_URL: 'http://rise.example.com' })).toMatchObject({
      ok: false,
      detail: `token auth misconfigured (its realm is ${RISE_URL}/api/registry/token, Rise's token endpoint is http://rise.example.com/api/registry/token: set auth.token.realm, or RISE_URL)`,
    });
    expect((await registryHealth({ RISE_REGISTRY_SERVICE: 'other' }))?.detail).toBe(
      "token auth misconfigured (its service is rise-registry, Rise's RISE_REGISTRY_SERVICE is other)",
    );
    expect(await registryHealth({ RISE_REGISTRY_HOST: foreignIssuerRegistry.host })).toMatchObject({
      ok: false,
      detail: `token auth misconfigured (it rejects tokens Rise signs: its auth.token.issuer must be RISE_REGISTRY_ISSUER (rise) and its rootcertbundle Rise's certificate ${join(dataDir, 'registry-certs', 'rise-registry.crt')})`,
    });
  });
});
