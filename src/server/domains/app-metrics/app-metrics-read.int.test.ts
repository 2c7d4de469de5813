import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createUser, uniqueName, userCaller } from '../../../../test/fixtures';
import { raiseNotification } from '../notifications/notification.service';

// The metrics procedures over the real PostgreSQL: points written as the worker writes them, read
// back through tRPC as the dashboard and the CLI read them (permissions: rbac-matrix.int.test.ts).

const MINUTE = 60_000;

async function projectWithPoints(owner: Awaited<ReturnType<typeof createUser>>, cpu: number, memory: number) {
  const name = uniqueName('mx');
  await apiAs(userCaller(owner)).project.create({ name, port: 8080 });
  const project = await getDb().project.findUniqueOrThrow({ where: { name } });
  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE);
  await getDb().appMetricSample.createMany({
    data: [2, 1].map((minutesAgo, index) => ({
      projectId: project.id,
      resolution: 'minute',
      at: at(minutesAgo),
      instances: 1,
      cpuPercent: cpu + index,
      cpuPercentMax: cpu + index,
      memoryBytes: memory,
      memoryBytesMax: memory,
      memoryLimitBytes: 256 * 1024 * 1024,
      networkRxBytes: 1000 + index * 6000,
      networkTxBytes: 500 + index * 60_000,
      restarts: 0,
    })),
  });
  await getDb().uptimeCheck.createMany({
    data: [3, 2, 1].map((minutesAgo) => ({
      projectId: project.id,
      resolution: 'minute',
      at: at(minutesAgo),
      checks: 1,
      upChecks: minutesAgo === 2 ? 0 : 1,
      responseMs: minutesAgo === 2 ? null : 12,
      statusCode: minutesAgo === 2 ? 502 : 200,
    })),
  });
  return { name, project };
}

describe('metrics procedures', () => {
  it('series: resource points with network rates, uptime points and the uptime share', async () => {
    const owner = await createUser();
    const { name } = await projectWithPoints(owner, 5, 50 * 1024 * 1024);
    const series = await apiAs(userCaller(owner)).metrics.series({ project: name, range: '1h' });
    expect(series.resolution).toBe('minute');
    expect(
      series.resources.map((point) => [point.cpuPercent, point.networkRxPerSecond, point.networkTxPerSecond]),
    ).toEqual([
      [5, null, null],
      [6, 100, 1000],
    ]);
    expect(series.uptime.map((point) => point.upChecks)).toEqual([1, 0, 1]);
    expect(series.uptimePercent).toBeCloseTo(66.667, 2);
    // A week: hourly points, the last hour folded from the minute points on the fly.
    const week = await apiAs(userCaller(owner)).metrics.series({ project: name, range: '7d' });
    expect(week.resolution).toBe('hour');
    expect(week.resources.length).toBeGreaterThanOrEqual(1);
    expect(week.uptime.reduce((sum, point) => sum + point.checks, 0)).toBe(3);
    expect(week.uptimePercent).toBeCloseTo(66.667, 2);
    const current = await apiAs(userCaller(owner)).metrics.current({ project: name });
    expect(current).toMatchObject({
      cpuPercent: 6,
      memoryBytes: 50 * 1024 * 1024,
      up: true,
      responseMs: 12,
      statusCode: 200,
    });
    expect(current.uptimePercent24h).toBeCloseTo(66.667, 2);
  });

  it("overview: the caller's apps with current figures, sorted by CPU or memory; others' apps are not listed", async () => {
    const owner = await createUser();
    const busy = await projectWithPoints(owner, 80, 10 * 1024 * 1024);
    const big = await projectWithPoints(owner, 1, 400 * 1024 * 1024);
    const api = apiAs(userCaller(owner));
    const byCpu = await api.metrics.overview({ sort: 'cpu' });
    expect(byCpu.apps.map((app) => app.name)).toEqual([busy.name, big.name]);
    expect(byCpu.apps[0]).toMatchObject({ cpuPercent: 81, up: true, responseMs: 12 });
    const byMemory = await api.metrics.overview({ sort: 'memory' });
    expect(byMemory.apps.map((app) => app.name)).toEqual([big.name, busy.name]);

    const stranger = await createUser();
    expect((await apiAs(userCaller(stranger)).metrics.overview({ sort: 'cpu' })).apps).toEqual([]);

    // A build's log lines are deployment events too, hundreds per build: the feed leaves them out.
    const deployment = await getDb().deployment.create({
      data: { id: `${busy.name}-d1`.slice(-20), projectId: busy.project.id, status: 'building' },
    });
    await getDb().deploymentEvent.create({
      data: { deploymentId: deployment.id, level: 'build', message: 'Step 1/3 : FROM scratch' },
    });
    await raiseNotification({ kind: 'app.down', projectId: busy.project.id, title: `${busy.name} is down` });
    const events = await api.metrics.events({ limit: 10 });
    expect(events.events[0]).toMatchObject({
      kind: 'app.down',
      project: busy.name,
      message: `${busy.name} is down`,
    });
    expect(events.events.map((event) => event.message)).not.toContain('Step 1/3 : FROM scratch');
    expect((await apiAs(userCaller(stranger)).metrics.events({ limit: 10 })).events).toEqual([]);
  });
});
