import { describe, expect, it } from 'vitest';
import { checkPlatformHealth } from './platform-health.service';

describe('checkPlatformHealth', () => {
  it('reports each component, with the error of a failing one and a timeout for a silent one', async () => {
    const results = await checkPlatformHealth(
      {
        database: async () => 'PostgreSQL 15.18',
        runtime: async () => {
          throw new Error('connect ENOENT /var/run/docker.sock');
        },
        registry: () => new Promise(() => {}),
        proxy: async () => '2 routes',
      },
      100,
    );
    expect(results.map(({ latencyMs: _, ...rest }) => rest)).toEqual([
      { component: 'database', ok: true, detail: 'PostgreSQL 15.18' },
      { component: 'runtime', ok: false, detail: 'connect ENOENT /var/run/docker.sock' },
      { component: 'registry', ok: false, detail: 'no answer within 100 ms' },
      { component: 'proxy', ok: true, detail: '2 routes' },
    ]);
    expect(results[2]!.latencyMs).toBeGreaterThanOrEqual(95);
  });
});

describe('checkPlatformHealth error details', () => {
  it('adds the cause to an error that names none, as fetch failures do', async () => {
    const [result] = await checkPlatformHealth({
      proxy: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2019'), { code: 'ECONNREFUSED' }),
        });
      },
    } as never);
    expect(result).toMatchObject({
      component: 'proxy',
      ok: false,
      detail: 'fetch failed (connect ECONNREFUSED 127.0.0.1:2019)',
    });
  });
});
