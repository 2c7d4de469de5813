import { z } from 'zod';

/**
 * A deployment's crashes since its app last ran stable (the reconciler restarts crashed apps; see
 * src/server/domains/deployments/crash-loop.ts); null in a deployment's view when there are none.
 */
export const deploymentCrashes = z.object({
  restarts: z.number().int().min(0),
  /** Crash-looping (this many restarts with no stable run between) since then; null: not looping. */
  crashLoopingSince: z.date().nullable(),
  lastCrashAt: z.date().nullable(),
  /** Null when the instance was gone rather than exited. */
  lastExitCode: z.number().int().nullable(),
  lastLogLines: z.array(z.string()),
});
export type DeploymentCrashes = z.infer<typeof deploymentCrashes>;

/** The state word shown next to a deployment's status: `crash-looping`, `restarting`, or null. */
export function crashState(crashes: DeploymentCrashes | null): 'crash-looping' | 'restarting' | null {
  if (!crashes) return null;
  return crashes.crashLoopingSince ? 'crash-looping' : 'restarting';
}

/** One line: `crash-looping since 2026-12-02T12:00:00.000Z: 4 restarts, last exit code 1`. */
export function crashSummary(crashes: DeploymentCrashes): string {
  const restarts = `${crashes.restarts} ${crashes.restarts === 1 ? 'restart' : 'restarts'}`;
  const exit =
    crashes.lastCrashAt === null
      ? ''
      : crashes.lastExitCode === null
        ? ', last: instance gone'
        : `, last exit code ${crashes.lastExitCode}`;
  const state = crashes.crashLoopingSince
    ? `crash-looping since ${crashes.crashLoopingSince.toISOString()}`
    : 'crashed';
  return `${state}: ${restarts}${exit}`;
}
