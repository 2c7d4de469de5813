import { type InstanceSpec, processOf, replicaOf } from '@/server/runtime/types';
import type { EngineDeps } from './engine-deps';

export const DEFAULT_PROCESS_GRACE_MS = 10_000;
const POLL_MS = 500;
const CRASH_LOG_LINES = 20;

export type ProcessStart = { ok: true } | { ok: false; error: string };

/**
 * Whether every replica of a process without a route (a worker) stays up for the grace period: one
 * that exits (or never appears) meanwhile fails it, with its exit code and last output.
 */
export async function processStaysUp(
  deps: Pick<EngineDeps, 'runtime' | 'clock' | 'settings'>,
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
    const down = instances.find((instance) => instance.state === 'exited' || instance.state === 'dead');
    if (down) {
      const replica = replicaOf(down);
      const output = await lastOutput(deps, spec, replica);
      return {
        ok: false,
        error: `process ${processOf(spec)} (replica ${replica}) exited with code ${down.exitCode ?? '?'} within ${Math.round(graceMs / 1000)} s of starting${output}`,
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

async function lastOutput(
  deps: Pick<EngineDeps, 'runtime'>,
  spec: InstanceSpec,
  replica: number,
): Promise<string> {
  const lines: string[] = [];
  try {
    for await (const entry of deps.runtime.logs(spec.project, spec.deploymentId, {
      follow: false,
      tail: CRASH_LOG_LINES,
      instance: { process: processOf(spec), replica },
    })) {
      lines.push(`${entry.stream}: ${entry.line}`);
    }
  } catch {
    // The failure is told without the output.
  }
  return lines.length ? `\nlast ${lines.length} log lines:\n${lines.join('\n')}` : '\n(no log output)';
}
