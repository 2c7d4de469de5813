import { describe, expect, it } from 'vitest';
import {
  recordApiRequest,
  recordBackup,
  recordDeployment,
  recordJobAttempt,
  recordReconcilePass,
  timeDeployPhase,
} from './record-metrics';
import { METRIC_PREFIX, riseMetrics } from './registry';

/** The value of one series: a counter's, or a histogram's `_count` / `_sum`, with exactly `labels`. */
async function seriesValue(name: string, labels: Record<string, string>) {
  const part = /_(count|sum)$/.exec(name);
  const metric = riseMetrics().registry.getSingleMetric(part ? name.slice(0, part.index) : name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const same = (actual: Record<string, unknown>) =>
    Object.keys(actual).length === Object.keys(labels).length &&
    Object.entries(labels).every(([key, wanted]) => actual[key] === wanted);
  const found = values.find(
    (value) => same(value.labels) && (part ? (value as { metricName?: string }).metricName === name : true),
  );
  return found?.value ?? 0;
}

describe('the metrics registry', () => {
  it('is one per process, prefixes every metric with rise_ and names units and totals by convention', async () => {
    expect(riseMetrics()).toBe(riseMetrics());
    const metrics = await riseMetrics().registry.getMetricsAsJSON();
    expect(metrics.length).toBeGreaterThan(10);
    for (const metric of metrics) {
      expect(metric.name.startsWith(METRIC_PREFIX), metric.name).toBe(true);
      if (String(metric.type) === 'counter') expect(metric.name, metric.name).toMatch(/_total$/);
      if (String(metric.type) === 'histogram') expect(metric.name, metric.name).toMatch(/_(seconds|bytes)$/);
    }
    // Process defaults carry the prefix too.
    expect(metrics.map((metric) => metric.name)).toContain('rise_process_cpu_seconds_total');
  });

  it('labels jobs by queue and result, with latency from creation to start', async () => {
    const before = await seriesValue('rise_job_duration_seconds_count', {
      queue: 'unit-q',
      result: 'failed',
    });
    recordJobAttempt('unit-q', {
      createdOn: new Date(1_000),
      startedOn: new Date(4_000),
      ranMs: 1500,
      failed: true,
    });
    expect(await seriesValue('rise_job_duration_seconds_count', { queue: 'unit-q', result: 'failed' })).toBe(
      before + 1,
    );
    expect(
      await seriesValue('rise_job_duration_seconds_count', { queue: 'unit-q', result: 'completed' }),
    ).toBe(0);
    expect(await seriesValue('rise_job_latency_seconds_sum', { queue: 'unit-q' })).toBe(3);
  });

  it('counts deployments by result and times phases even when they throw', async () => {
    const before = await seriesValue('rise_deployments_total', { result: 'cancelled' });
    recordDeployment('cancelled');
    expect(await seriesValue('rise_deployments_total', { result: 'cancelled' })).toBe(before + 1);

    const drains = await seriesValue('rise_deploy_phase_duration_seconds_count', { phase: 'drain' });
    await expect(
      timeDeployPhase('drain', async () => {
        throw new Error('engine gone');
      }),
    ).rejects.toThrow('engine gone');
    expect(await timeDeployPhase('drain', async () => 'done')).toBe('done');
    expect(await seriesValue('rise_deploy_phase_duration_seconds_count', { phase: 'drain' })).toBe(
      drains + 2,
    );
  });

  it('labels API requests by procedure, type and code only', async () => {
    recordApiRequest({ procedure: 'unit.get', type: 'query', code: 'NOT_FOUND', ms: 20 });
    expect(
      await seriesValue('rise_api_request_duration_seconds_count', {
        procedure: 'unit.get',
        type: 'query',
        code: 'NOT_FOUND',
      }),
    ).toBe(1);
    expect(
      await seriesValue('rise_api_request_duration_seconds_sum', {
        procedure: 'unit.get',
        type: 'query',
        code: 'NOT_FOUND',
      }),
    ).toBeCloseTo(0.02);
  });

  it('records backups by engine and result, with the size of succeeded ones', async () => {
    recordBackup({ engine: 'redis', result: 'succeeded', ms: 2000, sizeBytes: 4096 });
    recordBackup({ engine: 'redis', result: 'failed', ms: 500 });
    expect(await seriesValue('rise_backups_total', { engine: 'redis', result: 'succeeded' })).toBe(1);
    expect(await seriesValue('rise_backups_total', { engine: 'redis', result: 'failed' })).toBe(1);
    expect(await seriesValue('rise_backup_size_bytes_count', { engine: 'redis' })).toBe(1);
    expect(await seriesValue('rise_backup_size_bytes_sum', { engine: 'redis' })).toBe(4096);
  });

  it('counts reconcile passes and each kind of repair, in snake_case', async () => {
    recordReconcilePass('docker', { routesUpserted: 2, restarted: 1, stuckFailed: 0 });
    recordReconcilePass('docker', null);
    expect(await seriesValue('rise_reconcile_passes_total', { runtime: 'docker', result: 'ok' })).toBe(1);
    expect(await seriesValue('rise_reconcile_passes_total', { runtime: 'docker', result: 'failed' })).toBe(1);
    expect(
      await seriesValue('rise_reconcile_repairs_total', { runtime: 'docker', kind: 'routes_upserted' }),
    ).toBe(2);
    expect(await seriesValue('rise_reconcile_repairs_total', { runtime: 'docker', kind: 'restarted' })).toBe(
      1,
    );
    expect(
      await seriesValue('rise_reconcile_repairs_total', { runtime: 'docker', kind: 'stuck_failed' }),
    ).toBe(0);
  });
});
