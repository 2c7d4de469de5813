import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { startMetricsListener } from './metrics-listener';

const token = 'listener-token-'.padEnd(40, 'x');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function listen(withToken: string | undefined) {
  const lines: string[] = [];
  const listener = await startMetricsListener({
    address: { host: '127.0.0.1', port: await freePort() },
    token: withToken,
    log: (line) => lines.push(line),
  });
  stops.push(listener.stop);
  return { url: `http://127.0.0.1:${listener.port}`, lines };
}

describe('startMetricsListener', () => {
  it('serves /metrics to anyone on its own address when no token is set, and nothing else', async () => {
    const { url, lines } = await listen(undefined);
    expect(lines).toEqual([`metrics on ${url}/metrics`]);
    const scraped = await fetch(`${url}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await scraped.text()).toContain('# TYPE rise_process_cpu_seconds_total counter');
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('requires the token when one is set', async () => {
    const { url } = await listen(token);
    const denied = await fetch(`${url}/metrics`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="rise-metrics"');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const allowed = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
  });

  it('says which address it could not listen on', async () => {
    const { url } = await listen(undefined);
    const port = Number(new URL(url).port);
    await expect(
      startMetricsListener({ address: { host: '127.0.0.1', port }, token: undefined, log: () => {} }),
    ).rejects.toThrow(`metrics: cannot listen on 127.0.0.1:${port}`);
  });
});
