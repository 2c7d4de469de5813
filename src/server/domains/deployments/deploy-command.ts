import type { InstanceSpec, OneOffKind, OneOffResult } from '@/server/runtime/types';
import { describeCommand } from '@/shared/deployments/commands';
import type { EngineDeps } from './engine-deps';
import type { EventLevel } from './engine-repos';
import { oneOffOf } from './one-off-spec';

/** Output lines of one command kept as deployment events; past this, one event says the rest was cut. */
export const MAX_COMMAND_OUTPUT_EVENTS = 2000;

export const RELEASE_DONE = 'Release command succeeded';
export const ROLLBACK_SKIPS_RELEASE = 'Rollback: the release command is not run';

const LABELS: Record<Exclude<OneOffKind, 'run' | 'cron'>, string> = {
  release: 'release command',
  'post-deploy': 'post-deploy command',
};

export type DeployCommandOutcome = { ok: true } | { ok: false; cancelled: boolean; error: string };

/**
 * Runs a deployment's release (before traffic moves) or post-deploy command (after) once, in a one-off
 * container of the deployment's pinned image with the env, network and limits its instance gets. Its
 * output becomes the deployment's events (`release: …`); the outcome says why it failed, if it did.
 */
export async function runDeployCommand(
  deps: EngineDeps,
  input: {
    kind: 'release' | 'post-deploy';
    command: string[];
    spec: InstanceSpec;
    event: (text: string, level?: EventLevel) => Promise<void>;
    signal?: AbortSignal;
  },
): Promise<DeployCommandOutcome> {
  const { kind, command, spec, event } = input;
  const label = LABELS[kind];
  const shown = describeCommand(command) ?? '';
  // A shell string in quotes; an argument vector shows as JSON, brackets and quotes already.
  const quoted = shown.startsWith('[') ? shown : `"${shown}"`;
  await event(`Running the ${label}: ${shown}`);
  let lines = 0;
  let result: OneOffResult;
  try {
    result = await deps.runtime.runOneOff(oneOffOf(spec, kind, `${spec.deploymentId}-${kind}`, command), {
      timeoutMs: deps.settings.releaseTimeoutMs,
      signal: input.signal,
      onOutput: async (line) => {
        lines++;
        if (lines <= MAX_COMMAND_OUTPUT_EVENTS) await event(`${kind}: ${line.line}`);
        else if (lines === MAX_COMMAND_OUTPUT_EVENTS + 1) {
          await event(`${kind}: (more output not kept: over ${MAX_COMMAND_OUTPUT_EVENTS} lines)`, 'warn');
        }
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, cancelled: false, error: `the ${label} ${quoted} could not run: ${reason}` };
  }
  if (result.outcome === 'cancelled') return { ok: false, cancelled: true, error: 'cancelled' };
  if (result.outcome === 'timedOut') {
    const limit = deps.settings.releaseTimeoutMs;
    const within = limit % 60_000 === 0 ? `${limit / 60_000} min` : `${Math.round(limit / 1000)} s`;
    return {
      ok: false,
      cancelled: false,
      error: `the ${label} ${quoted} did not finish within ${within} (RISE_RELEASE_TIMEOUT) and was stopped`,
    };
  }
  if (result.exitCode !== 0) {
    return {
      ok: false,
      cancelled: false,
      error: `the ${label} ${quoted} exited with code ${result.exitCode}`,
    };
  }
  return { ok: true };
}
