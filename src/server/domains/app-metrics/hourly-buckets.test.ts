import { describe, expect, it } from 'vitest';
import { withRecentCheckHours, withRecentHours } from './hourly-buckets';

const sample = (iso: string, cpu: number, memory: number) => ({
  at: new Date(iso),
  cpuPercent: cpu,
  cpuPercentMax: cpu,
  memoryBytes: memory,
  memoryBytesMax: memory,
  memoryLimitBytes: null,
  networkRxBytes: memory,
  networkTxBytes: memory,
  restarts: 0,
});

describe('withRecentHours', () => {
  it('adds the hours of minute points not folded yet, averaged and peaked, after the stored hours', () => {
    const points = withRecentHours(
      [sample('2026-12-01T08:00:00Z', 5, 100)],
      [sample('2026-12-02T09:10:00Z', 10, 200), sample('2026-12-02T09:20:00Z', 30, 400)],
    );
    expect(
      points.map((point) => [
        point.at.toISOString(),
        point.cpuPercent,
        point.cpuPercentMax,
        point.memoryBytes,
      ]),
    ).toEqual([
      ['2026-12-01T08:00:00.000Z', 5, 5, 100],
      ['2026-12-02T09:00:00.000Z', 20, 30, 300],
    ]);
  });

  it('leaves an hour that is stored already as stored', () => {
    const points = withRecentHours(
      [sample('2026-12-02T09:00:00Z', 1, 1)],
      [sample('2026-12-02T09:10:00Z', 99, 99)],
    );
    expect(points).toHaveLength(1);
    expect(points[0]?.cpuPercent).toBe(1);
  });
});

describe('withRecentCheckHours', () => {
  it('counts the checks of an hour and averages the answered ones', () => {
    const check = (iso: string, up: boolean, responseMs: number | null) => ({
      at: new Date(iso),
      checks: 1,
      upChecks: up ? 1 : 0,
      responseMs,
      statusCode: up ? 200 : 502,
    });
    expect(
      withRecentCheckHours(
        [],
        [
          check('2026-12-02T09:01:00Z', true, 10),
          check('2026-12-02T09:02:00Z', false, null),
          check('2026-12-02T09:03:00Z', true, 30),
        ],
      ),
    ).toEqual([
      { at: new Date('2026-12-02T09:00:00Z'), checks: 3, upChecks: 2, responseMs: 20, statusCode: null },
    ]);
  });
});
