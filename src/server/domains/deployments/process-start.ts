import { type InstanceSpec, processOf, type Runtime, replicaOf } from '@/server/runtime/types';
import { CRASH_LOG_LINES } from './crash-loop';
import type { EngineDeps } from './engine-deps';
import { lastOutputOf } from './instance-output';

export const DEFAULT_PROCESS_GRACE_MS = 10_000;
const POLL_MS = 500;

export type ProcessStart = { ok: true } | { ok: false; error: string };

/**
 * Whether every replica of a process without a route (a worker) stays up for the grace period: one
 * that exits (or never appears) meanwhile fails it, with its exit code and last output.
 */
export async function processStaysUp(
  deps: Pick<EngineDeps, 'clock' | 'settings'> & { runtime: Pick<Runtime, 'list' | 'logs'> },
  spec: InstanceSpec,
  signal?: AbortSignal,
): Promise<ProcessStart> {
  const graceMs = deps.settings.processGraceMs ?? DEFAULT_PROCESS_GRACE_MS;
  const wanted = spec.replicas ?? 1;
  const until = deps.clock.now().getTime() + graceMs;
  for (;;) {
    if (signal?.aborted) return { ok: false, error: 'cancelled' };
    const instances = (await deps.runtime.list({ project: spec.project })).filter(
      (instance) => instance.deploymentId === spec.deploymentId && processOf(instance) === processOf(spec),
    );
    // Kubernetes restarts a crashed container itself: a restart, or CrashLoopBackOff, is a crash too.
    const down = instances.find(
      (instance) =>
        instance.state === 'exited' ||
        instance.state === 'dead' ||
        instance.state === 'restarting' ||
        (instance.runtimeRestarts?.count ?? 0) > 0,
    );
    if (down) {
      const replica = replicaOf(down);
      const lines = await lastOutputOf(deps.runtime, spec.project, spec.deploymentId, CRASH_LOG_LINES, {
        process: processOf(spec),
        replica,
      });
      const output = lines.length
        ? `\nlast ${lines.length} log lines:\n${lines.map((entry) => `${entry.stream}: ${entry.line}`).join('\n')}`
        : '\n(no log output)';
      const exitCode = down.exitCode ?? down.runtimeRestarts?.lastExitCode ?? '?';
      return {
        ok: false,
        error: `process ${processOf(spec)} (replica ${replica}) exited with code ${exitCode} within ${Math.round(graceMs / 1000)} s of starting${output}`,
      };
    }
    const remaining = until - deps.clock.now().getTime();
    if (remaining <= 0) {
      if (instances.length >= wanted) return { ok: true };
      return {
        ok: false,
        error: `process ${processOf(spec)} runs ${instances.length} of ${wanted} replicas`,
      };
    }
    await deps.clock.sleep(Math.min(POLL_MS, remaining), signal);
  }
}
