import { describe, expect, it } from 'vitest';
import type { CronRunView } from '@/shared/cron/cron-job.schema';
import { runDuration, runNowProgress, runOutcome } from './cron-format';

const run = (over: Partial<CronRunView>): CronRunView => ({
  id: 'r1',
  status: 'succeeded',
  exitCode: 0,
  reason: null,
  deploymentId: 'd1',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  finishedAt: new Date('2026-01-01T00:00:12Z'),
  output: [],
  ...over,
});

describe('cron run formatting', () => {
  it('gives the duration from start to finish, so far while running, none when skipped', () => {
    expect(runDuration(run({}))).toBe('12s');
    const now = new Date('2026-01-01T00:01:05Z').getTime();
    expect(runDuration(run({ status: 'running', finishedAt: null }), now)).toBe('1m 5s');
    expect(runDuration(run({ status: 'skipped', finishedAt: null }))).toBeNull();
  });

  it('names the exit code, or the reason when there is none', () => {
    expect(runOutcome(run({ exitCode: 3, status: 'failed' }))).toBe('exit 3');
    expect(runOutcome(run({ exitCode: null, status: 'timed-out', reason: 'timedOut' }))).toBe('timedOut');
    expect(runOutcome(run({ exitCode: null, reason: null }))).toBeNull();
  });

  it('follows a Run now from queued to running to done', () => {
    expect(runNowProgress(null, { lastRun: null })).toBe('queued');
    expect(runNowProgress('r1', { lastRun: run({ id: 'r1' }) })).toBe('queued');
    expect(runNowProgress('r1', { lastRun: run({ id: 'r2', status: 'running', finishedAt: null }) })).toBe(
      'running',
    );
    expect(runNowProgress('r1', { lastRun: run({ id: 'r2', status: 'failed' }) })).toBe('done');
    expect(runNowProgress(null, { lastRun: run({ id: 'r2' }) })).toBe('done');
  });
});
