import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLogLines as collect, watchLogs } from '../../../test/log-lines';
import { type HealthCheck, type InstanceSpec, processOf, type Runtime, replicaOf, type Slot } from './types';

/**
 * The behaviour every Runtime adapter owes the deploy engine, as one suite that each adapter's
 * `*.contract.int.test.ts` runs against its real backend (dockerd; for Kubernetes the fake API server
 * in test/). Adapter-specific behaviour (ports, labels, manifests) stays in the adapters' own tests.
 */

export type ContractApp = 'healthy' | 'crashing' | 'missing-image';

export type RuntimeContractTarget = {
  /** The runtime under test (one installation, i.e. one instance id). */
  runtime: Runtime;
  /** The same backend as another installation (another instance id). */
  otherInstance: Runtime;
  /**
   * An instance of one of the target's apps: `healthy` answers 2xx on GET /health and logs requests,
   * `crashing` prints "crashing on purpose" and exits 1, `missing-image` names an image nobody can pull.
   */
  spec(
    app: ContractApp,
    instance: { project: string; deploymentId: string; slot: Slot; group?: string },
  ): Promise<InstanceSpec>;
  /** Makes the running `healthy` app print a line containing `text` (e.g. by a request it logs). */
  emitLogLine(spec: InstanceSpec, text: string): Promise<void>;
  healthCheck: HealthCheck;
  /** What the failure of each failing app says (beyond the shared expectations). */
  failures: { crashing: RegExp; missingImage: RegExp };
  /**
   * Whether the backend reports resource figures (`stats`); false where it has none to give (a cluster
   * without the metrics API), and then `stats` must answer null rather than fail.
   */
  reportsStats?: boolean;
  /** Host ports for web replicas 1…`count` (host mode); absent where the runtime publishes none. */
  replicaHostPorts?(count: number): Promise<number[]>;
  cleanup(): Promise<void>;
};

const CRASH_OUTPUT = 'crashing on purpose';

export function runtimeContract(name: string, createTarget: () => Promise<RuntimeContractTarget>): void {
  describe(`Runtime contract: ${name}`, () => {
    const run = randomBytes(3).toString('hex');
    // Valid everywhere: Docker container names and Kubernetes DNS labels alike.
    const project = `contract-${run}`;
    const otherProject = `contract-other-${run}`;
    const id = (suffix: string) => `20260101-0000-${suffix}`;
    let target: RuntimeContractTarget;
    let runtime: Runtime;
    let app: InstanceSpec;

    beforeAll(async () => {
      target = await createTarget();
      runtime = target.runtime;
      app = await target.spec('healthy', { project, deploymentId: id('good'), slot: 'b' });
    });

    afterAll(async () => {
      await target?.cleanup();
    });

    it('prepares idempotently, also concurrently', async () => {
      await runtime.prepare();
      await Promise.all([runtime.prepare(), runtime.prepare()]);
    });

    it('starts an instance that becomes healthy', async () => {
      await runtime.start(app);
      expect(await runtime.waitHealthy(app, target.healthCheck)).toEqual({ healthy: true });
    });

    it('lists it as running, with its slot and deployment id', async () => {
      const listed = await runtime.list({ project });
      expect(listed).toEqual([
        expect.objectContaining({
          project,
          deploymentId: app.deploymentId,
          slot: 'b',
          state: 'running',
          exitCode: null,
        }),
      ]);
      expect(listed[0]?.startedAt).toBeInstanceOf(Date);
      const all = await runtime.list();
      expect(all.filter((status) => status.project === project)).toEqual(listed);
    });

    it("reports the running instance's resource figures, and none of a missing one", async () => {
      const stats = await runtime.stats(project, app.deploymentId);
      if (target.reportsStats === false) expect(stats).toBeNull();
      else {
        expect(stats?.memoryBytes).toBeGreaterThan(0);
        expect(stats?.cpuPercent).toBeGreaterThanOrEqual(0);
        expect(stats?.networkRxBytes).toBeGreaterThanOrEqual(0);
        expect(stats?.restarts).toBe(0);
      }
      expect(await runtime.stats(project, id('nothing-here'))).toBeNull();
    });

    it('returns its last log lines, at most `tail`', async () => {
      const lines = await collect(runtime.logs(project, app.deploymentId, { follow: false, tail: 50 }));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(['stdout', 'stderr']).toContain(line.stream);
        expect(typeof line.line).toBe('string');
        expect(line.line).not.toContain('\n');
        expect(line.time === null || line.time instanceof Date).toBe(true);
      }
      const one = await collect(runtime.logs(project, app.deploymentId, { follow: false, tail: 1 }));
      expect(one).toHaveLength(1);
      expect(one[0]).toEqual(lines.at(-1));
      expect(await collect(runtime.logs(project, app.deploymentId, { follow: false, tail: 0 }))).toEqual([]);
    });

    it('follows new log lines (none of the old with tail 0) and ends when the signal aborts', async () => {
      const before = await collect(runtime.logs(project, app.deploymentId, { follow: false, tail: 50 }));
      const controller = new AbortController();
      const watch = watchLogs(
        runtime.logs(project, app.deploymentId, { follow: true, tail: 0, signal: controller.signal }),
      );
      await watch.waitFor(
        (line) => line.line.includes('contract-followed'),
        () => target.emitLogLine(app, 'contract-followed'),
      );
      const old = new Set(before.map((line) => line.line));
      expect(watch.seen.filter((line) => old.has(line.line))).toEqual([]);
      controller.abort();
      await expect(watch.done).resolves.toBeUndefined();
    });

    it('restarts it, after which it is healthy and running again', async () => {
      await runtime.restart(project, app.deploymentId);
      expect(await runtime.waitHealthy(app, target.healthCheck)).toEqual({ healthy: true });
      expect(await runtime.list({ project })).toEqual([
        expect.objectContaining({ deploymentId: app.deploymentId, slot: 'b', state: 'running' }),
      ]);
    });

    it('replaces the instance when the same deployment starts again', async () => {
      await runtime.start(app);
      expect(await runtime.waitHealthy(app, target.healthCheck)).toEqual({ healthy: true });
      const listed = await runtime.list({ project });
      expect(listed.filter((status) => status.deploymentId === app.deploymentId)).toHaveLength(1);
    });

    it("runs a deployment group's instance in the same slot beside the default group's, each listed with its group", async () => {
      const preview = await target.spec('healthy', {
        project,
        deploymentId: id('prev'),
        slot: 'b',
        group: 'mr--26',
      });
      await runtime.start(preview);
      expect(await runtime.waitHealthy(preview, target.healthCheck)).toEqual({ healthy: true });
      const listed = await runtime.list({ project });
      expect(listed.find((status) => status.deploymentId === preview.deploymentId)).toMatchObject({
        group: 'mr--26',
        slot: 'b',
        state: 'running',
      });
      const main = listed.find((status) => status.deploymentId === app.deploymentId);
      expect(main).toMatchObject({ slot: 'b', state: 'running' });
      expect(main?.group).toBeUndefined();
      await runtime.remove(project, preview.deploymentId, { graceMs: 0 });
      expect((await runtime.list({ project })).map((status) => status.deploymentId)).toEqual([
        app.deploymentId,
      ]);
    });

    it('removes it idempotently; then the project lists nothing', async () => {
      await runtime.remove(project, app.deploymentId, { graceMs: 1_000 });
      expect(await runtime.list({ project })).toEqual([]);
      await runtime.remove(project, app.deploymentId, { graceMs: 1_000 });
      await runtime.remove(project, app.deploymentId);
      await runtime.remove(project, id('none'));
      expect(await runtime.list({ project })).toEqual([]);
      expect((await runtime.list()).some((status) => status.project === project)).toBe(false);
    });

    it('runs each process with its replicas, scales one alone, and removes every process with the deployment', async () => {
      const base = await target.spec('healthy', { project, deploymentId: id('proc'), slot: 'a' });
      const ports = (await target.replicaHostPorts?.(2)) ?? [];
      const web = { ...base, replicas: 2, ...(ports.length ? { replicaHostPorts: ports.slice(0, 1) } : {}) };
      const worker = { ...base, process: 'worker', replicas: 2, hostPort: null };
      const instances = async () =>
        (await runtime.list({ project }))
          .filter((status) => status.deploymentId === base.deploymentId)
          .map((status) => `${processOf(status)}/${replicaOf(status)}`)
          .sort();
      await runtime.start(web);
      await runtime.start(worker);
      expect(await runtime.waitHealthy(web, target.healthCheck)).toEqual({ healthy: true });
      await waitUntil(async () => (await instances()).length === 4);
      expect(await instances()).toEqual(['web/0', 'web/1', 'worker/0', 'worker/1']);

      await runtime.scale({ ...worker, replicas: 1 }, { graceMs: 0 });
      await runtime.scale({ ...web, replicas: 3, ...(ports.length ? { replicaHostPorts: ports } : {}) });
      expect(
        await runtime.waitHealthy(
          { ...web, replicas: 3, ...(ports.length ? { replicaHostPorts: ports } : {}) },
          target.healthCheck,
        ),
      ).toEqual({ healthy: true });
      await waitUntil(async () => (await instances()).join() === 'web/0,web/1,web/2,worker/0');
      expect(await instances()).toEqual(['web/0', 'web/1', 'web/2', 'worker/0']);

      await runtime.remove(project, base.deploymentId, { graceMs: 0 });
      await waitUntil(async () => (await instances()).length === 0);
      expect(await instances()).toEqual([]);
    });

    it('answers NOT_FOUND for restart and logs of a missing instance', async () => {
      await expect(runtime.restart(project, id('none'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        collect(runtime.logs(project, id('none'), { follow: false, tail: 10 })),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('reports an app that crashes as unhealthy, with its output, before the attempts run out', async () => {
      const crashing = await target.spec('crashing', { project, deploymentId: id('crsh'), slot: 'a' });
      await runtime.start(crashing);
      const started = Date.now();
      const check = { ...target.healthCheck, attempts: 1_000 };
      const result = await runtime.waitHealthy(crashing, check);
      expect(Date.now() - started).toBeLessThan((check.intervalMs * check.attempts) / 2);
      expect(result.healthy).toBe(false);
      const error = result.healthy ? '' : result.error;
      expect(error).toMatch(target.failures.crashing);
      expect(error).toContain(CRASH_OUTPUT);
      await runtime.remove(project, crashing.deploymentId, { graceMs: 0 });
    });

    it('fails an app whose image cannot be pulled, naming the reason', async () => {
      const missing = await target.spec('missing-image', { project, deploymentId: id('miss'), slot: 'a' });
      // Docker pulls before it creates anything, Kubernetes after: either way the deploy fails, with a reason.
      const result = await runtime.start(missing).then(
        () => runtime.waitHealthy(missing, { ...target.healthCheck, attempts: 1_000 }),
        (error: Error) => ({ healthy: false as const, error: error.message }),
      );
      expect(result.healthy).toBe(false);
      expect(result.healthy ? '' : result.error).toMatch(target.failures.missingImage);
      await runtime.remove(project, missing.deploymentId, { graceMs: 0 });
      expect(await runtime.list({ project })).toEqual([]);
    });

    it("never lists nor removes another installation's instances", async () => {
      const other = target.otherInstance;
      const theirs = await target.spec('healthy', {
        project: otherProject,
        deploymentId: id('othr'),
        slot: 'a',
      });
      await other.start(theirs);
      expect(await other.waitHealthy(theirs, target.healthCheck)).toEqual({ healthy: true });

      expect((await runtime.list()).some((status) => status.project === otherProject)).toBe(false);
      expect(await runtime.list({ project: otherProject })).toEqual([]);
      // Refusing (an error) and ignoring are both fine; removing is not.
      await runtime.remove(otherProject, theirs.deploymentId, { graceMs: 0 }).catch(() => {});
      await runtime.restart(otherProject, theirs.deploymentId).catch(() => {});
      expect(await other.list({ project: otherProject })).toEqual([
        expect.objectContaining({ deploymentId: theirs.deploymentId, state: 'running' }),
      ]);

      await other.remove(otherProject, theirs.deploymentId, { graceMs: 0 });
      expect(await other.list({ project: otherProject })).toEqual([]);
    });
  });
}

/** Polls `condition` until it holds, for at most 30 s (a runtime may take a moment to show a change). */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
