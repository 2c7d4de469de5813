import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { checkPlatformHealth } from '@/server/domains/platform/platform-health.service';
import { startCaddy, type TestCaddy } from '../../../test/caddy';
import { startRegistry, type TestRegistry } from '../../../test/registry';
import { platformHealthProbes } from './health-probes';

// The admin page's health panel against the real PostgreSQL, Docker engine, registry and Caddy.

let caddy: TestCaddy;
let registry: TestRegistry;

const settings = (overrides: Record<string, string>) =>
  parseEnv({
    ...process.env,
    RISE_INSTANCE_ID: `health-${randomBytes(3).toString('hex')}`,
    RISE_CADDY_ADMIN_URL: caddy.adminUrl,
    RISE_REGISTRY_HOST: registry.host,
    ...overrides,
  });

beforeAll(async () => {
  [caddy, registry] = await Promise.all([startCaddy(), startRegistry()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([caddy?.stop(), registry?.stop()]);
});

describe('platform health probes', () => {
  it('report every component as ok when it answers', async () => {
    const results = await checkPlatformHealth(platformHealthProbes(settings({})));
    expect(results.map(({ component, ok }) => [component, ok])).toEqual([
      ['database', true],
      ['runtime', true],
      ['registry', true],
      ['proxy', true],
    ]);
    expect(results.find((r) => r.component === 'database')?.detail).toMatch(/^PostgreSQL \d+\.\d+/);
    expect(results.find((r) => r.component === 'runtime')?.detail).toBe('Docker: 0 instances');
    expect(results.find((r) => r.component === 'registry')?.detail).toBe(`${registry.host} answering`);
  });

  it('name the component that is down and why', async () => {
    const results = await checkPlatformHealth(
      platformHealthProbes(
        settings({ RISE_CADDY_ADMIN_URL: 'http://127.0.0.1:9', RISE_REGISTRY_HOST: '127.0.0.1:9' }),
      ),
    );
    const byComponent = Object.fromEntries(results.map((r) => [r.component, r]));
    expect(byComponent.database?.ok).toBe(true);
    expect(byComponent.proxy).toMatchObject({ ok: false });
    expect(byComponent.proxy?.detail).not.toBe('');
    expect(byComponent.registry).toMatchObject({ ok: false });
  });
});
