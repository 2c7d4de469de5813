import { describe, expect, it } from 'vitest';
import { FakeRuntime } from './fake';
import type { InstanceSpec, LogLine } from './types';

const spec = (deploymentId: string, image = 'app:v1'): InstanceSpec => ({
  project: 'shop',
  deploymentId,
  slot: 'a',
  image,
  port: 8080,
  env: { SECRET: 'x' },
  cpuLimit: null,
  memoryLimitMb: null,
  hostPort: 20001,
});
const check = { path: '/health', timeoutMs: 100, intervalMs: 10, attempts: 3 };

describe('FakeRuntime', () => {
  it('starts, lists, restarts and removes instances and records the calls', async () => {
    const runtime = new FakeRuntime();
    await runtime.prepare();
    await runtime.start(spec('d1'));
    await runtime.start(spec('d1'));
    expect(await runtime.list({ project: 'shop' })).toEqual([
      expect.objectContaining({
        project: 'shop',
        deploymentId: 'd1',
        slot: 'a',
        state: 'running',
        exitCode: null,
      }),
    ]);
    runtime.crash('shop', 'd1', 137);
    expect((await runtime.list())[0]).toMatchObject({ state: 'exited', exitCode: 137 });
    await runtime.restart('shop', 'd1');
    expect(runtime.instance('shop', 'd1')).toMatchObject({ state: 'running', restarts: 1 });
    await runtime.remove('shop', 'd1', { graceMs: 5 });
    await runtime.remove('shop', 'd1');
    expect(await runtime.list({ project: 'shop' })).toEqual([]);
    await expect(runtime.restart('shop', 'd1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(runtime.prepared).toBe(true);
    expect(runtime.calls.map((call) => call.method)).toEqual([
      'prepare',
      'start',
      'start',
      'list',
      'list',
      'restart',
      'remove',
      'remove',
      'list',
      'restart',
    ]);
    expect(runtime.callsOf('remove')[0]).toEqual({
      method: 'remove',
      project: 'shop',
      deploymentId: 'd1',
      graceMs: 5,
    });
  });

  it('answers health checks per image, consuming a list of results', async () => {
    const runtime = new FakeRuntime({
      health: { 'app:broken': { healthy: false, error: 'GET /health returned 404' } },
    });
    runtime.setHealth('app:flaky', [{ healthy: false, error: 'connection refused' }, { healthy: true }]);
    await runtime.start(spec('ok'));
    await runtime.start(spec('broken', 'app:broken'));
    await runtime.start(spec('flaky', 'app:flaky'));
    expect(await runtime.waitHealthy(spec('ok'), check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(spec('broken', 'app:broken'), check)).toEqual({
      healthy: false,
      error: 'GET /health returned 404',
    });
    expect(await runtime.waitHealthy(spec('flaky', 'app:flaky'), check)).toMatchObject({ healthy: false });
    expect(await runtime.waitHealthy(spec('flaky', 'app:flaky'), check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(spec('flaky', 'app:flaky'), check)).toEqual({ healthy: true });
    expect(await runtime.waitHealthy(spec('missing'), check)).toMatchObject({ healthy: false });
    runtime.crash('shop', 'ok');
    expect(await runtime.waitHealthy(spec('ok'), check)).toMatchObject({ healthy: false });
    const aborted = AbortSignal.abort();
    expect(await runtime.waitHealthy(spec('flaky', 'app:flaky'), { ...check, signal: aborted })).toEqual({
      healthy: false,
      error: 'cancelled',
    });
  });

  it('fails the next call of a method on request', async () => {
    const runtime = new FakeRuntime();
    runtime.failNext('start', 'image app:v1 is not present locally');
    await expect(runtime.start(spec('d1'))).rejects.toThrow('not present locally');
    await runtime.start(spec('d1'));
    expect(runtime.instance('shop', 'd1')?.state).toBe('running');
  });

  it('tails logs and follows new lines until the signal aborts or the instance stops', async () => {
    const runtime = new FakeRuntime();
    await runtime.start(spec('d1'));
    for (const line of ['one', 'two', 'three']) runtime.appendLog('shop', 'd1', line);
    const tail: LogLine[] = [];
    for await (const line of runtime.logs('shop', 'd1', { follow: false, tail: 2 })) tail.push(line);
    expect(tail.map((line) => line.line)).toEqual(['two', 'three']);

    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const line of runtime.logs('shop', 'd1', {
        follow: true,
        tail: 0,
        signal: controller.signal,
      })) {
        seen.push(line.line);
        if (line.line === 'four') controller.abort();
      }
    })();
    await Promise.resolve();
    runtime.appendLog('shop', 'd1', 'four', 'stderr');
    await following;
    expect(seen).toEqual(['four']);

    const untilStopped = (async () => {
      const lines: string[] = [];
      for await (const line of runtime.logs('shop', 'd1', { follow: true, tail: 1 })) lines.push(line.line);
      return lines;
    })();
    await Promise.resolve();
    runtime.appendLog('shop', 'd1', 'five');
    runtime.crash('shop', 'd1');
    expect(await untilStopped).toEqual(['four', 'five']);
    await expect(async () => {
      for await (const _ of runtime.logs('shop', 'nope', { follow: false, tail: 1 })) {
      }
    }).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
