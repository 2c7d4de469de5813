import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/wait';
import { type SupervisedProcess, SupervisedService, startProcess } from './supervisor';

const services: SupervisedService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.stop();
});

const until = (description: string, check: () => boolean) =>
  waitFor(check, { description, timeoutMs: 10_000, intervalMs: 20 });

/** A service whose child sleeps until killed; `failStarts` first restarts throw. */
function sleeper(lines: string[], options: { failRestarts?: number } = {}) {
  let failures = options.failRestarts ?? 0;
  const started: SupervisedProcess[] = [];
  const service = new SupervisedService({
    name: 'sleeper',
    start: async (restart) => {
      if (restart && failures-- > 0) throw new Error('not today');
      const child = startProcess('sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
      started.push(child);
      return child;
    },
    log: (line) => lines.push(line),
    backoff: { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 },
    stopGraceMs: 2_000,
  });
  services.push(service);
  return { service, started };
}

describe('SupervisedService', () => {
  it('restarts a child that died, logging its pid and signal, then the new pid', async () => {
    const lines: string[] = [];
    const { service, started } = sleeper(lines);
    await service.start();
    const first = service.pid as number;
    process.kill(first, 'SIGKILL');
    await until('the restarted child', () => started.length === 2 && service.pid === started[1]!.child.pid);
    expect(lines[0]).toMatch(
      new RegExp(
        `^sleeper \\(pid ${first}\\) exited unexpectedly \\(signal SIGKILL\\) after [\\d.]+ s; restarting in 0.1 s$`,
      ),
    );
    expect(lines[1]).toBe(`sleeper restarted (pid ${service.pid})`);
  });

  it('tries a failed restart again with a longer wait', async () => {
    const lines: string[] = [];
    const { service, started } = sleeper(lines, { failRestarts: 2 });
    await service.start();
    process.kill(service.pid as number, 'SIGKILL');
    await until('the restarted child', () => started.length === 2);
    expect(lines.slice(1, 3)).toEqual([
      'sleeper failed to restart: not today; trying again in 0.1 s',
      'sleeper failed to restart: not today; trying again in 0.2 s',
    ]);
    expect(lines[3]).toMatch(/^sleeper restarted \(pid \d+\)$/);
  });

  it('stop ends the child for good: no restart', async () => {
    const lines: string[] = [];
    const { service, started } = sleeper(lines);
    await service.start();
    await service.stop();
    expect(started[0]!.child.signalCode).toBe('SIGTERM');
    // Time for a restart to happen if stop did not prevent it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toHaveLength(1);
    expect(lines).toEqual(['sleeper stopped']);
  });
});
