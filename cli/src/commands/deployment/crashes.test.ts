import { describe, expect, it } from 'vitest';
import type { DeploymentCrashes } from '../../../../src/shared/deployments/crashes';
import { statusCell } from './list';
import { crashRows, deploymentRows } from './show';

const looping: DeploymentCrashes = {
  restarts: 4,
  crashLoopingSince: new Date('2026-12-02T12:00:00Z'),
  lastCrashAt: new Date('2026-12-02T12:01:00Z'),
  lastExitCode: 1,
  lastLogLines: ['connecting to db', 'fatal: lost the database'],
};

describe('crashes in the CLI', () => {
  it('rise d ls: the STATUS cell says crash-looping, or how often the app was restarted', () => {
    expect(statusCell({ status: 'healthy', crashes: looping })).toBe('healthy, crash-looping');
    const once = { ...looping, restarts: 1, crashLoopingSince: null };
    expect(statusCell({ status: 'unhealthy', crashes: once })).toBe('unhealthy, 1 restart');
    expect(statusCell({ status: 'healthy', crashes: { ...once, restarts: 2 } })).toBe('healthy, 2 restarts');
    expect(statusCell({ status: 'healthy', crashes: null })).toBe('healthy');
    // A server older than crash-loop detection sends no `crashes`.
    expect(statusCell({ status: 'healthy' })).toBe('healthy');
  });

  it('rise d s: the crashes row, then the last log lines indented under it', () => {
    expect(crashRows(looping).split('\n')).toEqual([
      'crashes:           crash-looping since 2026-12-02T12:00:00.000Z: 4 restarts, last exit code 1',
      'last log:          connecting to db',
      '                   fatal: lost the database',
    ]);
    expect(crashRows({ ...looping, crashLoopingSince: null, lastExitCode: null, lastLogLines: [] })).toBe(
      'crashes:           crashed: 4 restarts, last: instance gone',
    );
    expect(crashRows(null)).toBe('crashes:           -');
    expect(deploymentRows({ status: 'healthy', crashes: null })).toBe(
      'status:            healthy\ncrashes:           -',
    );
  });
});
