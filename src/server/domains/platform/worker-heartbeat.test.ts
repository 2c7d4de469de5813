import { describe, expect, it } from 'vitest';
import type { WorkerHeartbeatRow } from './worker-heartbeat.repo';
import { describeWorkerHeartbeats, formatAge } from './worker-heartbeat.service';

const now = new Date('2026-12-02T03:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const row = (seconds: number, overrides: Partial<WorkerHeartbeatRow> = {}): WorkerHeartbeatRow => ({
  id: `w-${seconds}`,
  hostname: `host-${seconds}`,
  pid: 7,
  runtimeOk: true,
  runtimeDetail: 'Docker engine reachable (3 instances)',
  startedAt: ago(3600),
  seenAt: ago(seconds),
  ...overrides,
});

describe('describeWorkerHeartbeats', () => {
  it("reports the worker's own runtime check with its age", () => {
    expect(describeWorkerHeartbeats([row(12)], now)).toEqual({
      ok: true,
      detail: 'worker last seen 12 s ago: Docker engine reachable (3 instances)',
    });
  });

  it('fails when the worker reports an unreachable runtime', () => {
    const detail = 'Docker engine unreachable: connect ENOENT /var/run/docker.sock';
    expect(describeWorkerHeartbeats([row(3, { runtimeOk: false, runtimeDetail: detail })], now)).toEqual({
      ok: false,
      detail: `worker last seen 3 s ago: ${detail}`,
    });
  });

  it('fails without any heartbeat, and says where the worker comes from', () => {
    expect(describeWorkerHeartbeats([], now)).toEqual({
      ok: false,
      detail:
        'no worker heartbeat yet — is the worker running? (npm start runs it; in the compose stack, the worker service)',
    });
  });

  it('fails when the newest heartbeat is stale, with how long ago and what it last said', () => {
    expect(describeWorkerHeartbeats([row(180), row(4000)], now)).toEqual({
      ok: false,
      detail:
        'no worker heartbeat for 3 min (it last said: Docker engine reachable (3 instances)) — is the worker running?',
    });
    // 60 s is still fresh; 61 s is not.
    expect(describeWorkerHeartbeats([row(60)], now).ok).toBe(true);
    expect(describeWorkerHeartbeats([row(61)], now).ok).toBe(false);
  });

  it('lists every live worker and fails when one of them cannot reach the runtime', () => {
    const rows = [
      row(2),
      row(9, { runtimeOk: false, runtimeDetail: 'Docker engine unreachable: EACCES' }),
      row(900),
    ];
    expect(describeWorkerHeartbeats(rows, now)).toEqual({
      ok: false,
      detail:
        '2 workers: host-2 last seen 2 s ago: Docker engine reachable (3 instances); host-9 last seen 9 s ago: Docker engine unreachable: EACCES',
    });
  });
});

describe('formatAge', () => {
  it('says seconds, minutes, hours or days', () => {
    expect(formatAge(0)).toBe('0 s');
    expect(formatAge(119_000)).toBe('119 s');
    expect(formatAge(180_000)).toBe('3 min');
    expect(formatAge(3 * 3600_000)).toBe('3 h');
    expect(formatAge(5 * 86_400_000)).toBe('5 d');
    expect(formatAge(-5000)).toBe('0 s');
  });
});
