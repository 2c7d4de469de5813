import { describe, expect, it } from 'vitest';
import type { InstanceSpec, InstanceStatus, LogLine } from '@/server/runtime/types';
import { processStaysUp } from './process-start';
import { FakeClock } from './testing/fake-clock';
import { testEngineSettings } from './testing/test-engine-settings';

const worker: InstanceSpec = {
  project: 'shop',
  deploymentId: 'd1',
  slot: 'a',
  process: 'worker',
  replicas: 2,
  image: 'shop@sha256:abc',
  port: 8080,
  env: {},
  cpuLimit: null,
  memoryLimitMb: null,
  hostPort: null,
};

const status = (replica: number, overrides: Partial<InstanceStatus> = {}): InstanceStatus => ({
  project: 'shop',
  deploymentId: 'd1',
  slot: 'a',
  process: 'worker',
  replica,
  state: 'running',
  exitCode: null,
  startedAt: new Date(),
  finishedAt: null,
  ...overrides,
});

/** A runtime that lists `instances` and prints `output` for any instance. */
function deps(instances: InstanceStatus[], output: string[] = []) {
  return {
    clock: new FakeClock(),
    settings: testEngineSettings({ processGraceMs: 0 }),
    runtime: {
      list: async () => instances,
      async *logs(): AsyncGenerator<LogLine> {
        for (const line of output) yield { stream: 'stderr' as const, line, time: null };
      },
    },
  };
}

describe('processStaysUp', () => {
  it('holds when every replica runs', async () => {
    expect(await processStaysUp(deps([status(0), status(1)]), worker)).toEqual({ ok: true });
  });

  it('fails on a replica that exited, with its exit code and last output', async () => {
    const result = await processStaysUp(
      deps([status(0), status(1, { state: 'exited', exitCode: 3 })], ['no queue']),
      worker,
    );
    expect(result).toEqual({
      ok: false,
      error: expect.stringContaining('process worker (replica 1) exited with code 3 within 0 s of starting'),
    });
    expect(result.ok ? '' : result.error).toContain('stderr: no queue');
  });

  it('fails on a replica the runtime restarted or backs off (Kubernetes)', async () => {
    const restarted = status(0, { runtimeRestarts: { count: 1, lastExitCode: 2, lastCrashAt: new Date() } });
    expect(await processStaysUp(deps([restarted, status(1)]), worker)).toMatchObject({
      ok: false,
      error: expect.stringContaining('exited with code 2'),
    });
    expect(await processStaysUp(deps([status(0, { state: 'restarting' }), status(1)]), worker)).toMatchObject(
      {
        ok: false,
      },
    );
  });

  it('fails when fewer replicas run than asked', async () => {
    expect(await processStaysUp(deps([status(0)]), worker)).toEqual({
      ok: false,
      error: 'process worker runs 1 of 2 replicas',
    });
  });

  it("ignores other deployments' and processes' instances", async () => {
    const others = [
      status(0, { deploymentId: 'd0', state: 'exited' }),
      status(0, { process: 'web', state: 'dead' }),
    ];
    expect(await processStaysUp(deps([...others, status(0), status(1)]), worker)).toEqual({ ok: true });
  });
});
