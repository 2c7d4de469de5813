import type { Api } from '../../lib/api';
import { CliError, EXIT } from '../../lib/errors';

type Entry =
  | { type: 'event'; id: string; level: string; message: string; time: Date }
  | { type: 'log'; stream: 'stdout' | 'stderr'; line: string; time: Date | null }
  | { type: 'status'; status: string };

/** Statuses in which the build may still add lines (the server follows `--build` until it leaves them). */
export const BUILD_RUNNING = ['pending', 'building', 'pushing', 'cancelling'];

/**
 * Streams a deployment's build log (`deployment.logs`, source `build`): each entry to `onEntry` as it
 * arrives. With `follow` it ends when the build ends. Resolves with the last status seen (null: none),
 * or, when `stop` is called first (Ctrl+C, a timeout), with what was seen until then.
 */
export function streamBuildLog(
  api: Api,
  target: { project: string; deployment: string; follow: boolean },
  onEntry: (entry: Entry) => void,
): { done: Promise<string | null>; stop(): void } {
  let status: string | null = null;
  let stop: () => void = () => undefined;
  const done = new Promise<string | null>((resolve, reject) => {
    const subscription = api.deployment.logs.subscribe(
      { ...target, source: 'build' },
      {
        onData: (entry) => {
          if (entry.type === 'status') status = entry.status;
          onEntry(entry);
        },
        onError: (error) => reject(error),
        onComplete: () => resolve(status),
        onStopped: () => resolve(status),
      },
    );
    stop = () => {
      subscription.unsubscribe();
      resolve(status);
    };
  });
  return { done, stop: () => stop() };
}

/** How a deployment's build ended, from its status and whether an image was ever pushed for it. */
export function buildOutcome(deployment: {
  status: string;
  imageDigest: string | null;
}): 'running' | 'pushed' | 'failed' | 'cancelled' {
  if (BUILD_RUNNING.includes(deployment.status)) return 'running';
  // A deployment that failed or was cancelled after its image was pushed had a build that worked.
  if (deployment.imageDigest) return 'pushed';
  if (deployment.status === 'failed') return 'failed';
  if (deployment.status === 'cancelled') return 'cancelled';
  return 'pushed';
}

/**
 * The error of a build that did not push an image: a failed one with its reason, a cancelled one
 * saying so. `logShown`: its lines were just printed, so a server build's "Last lines:" (its tail)
 * is left out of the reason rather than printed twice.
 */
export function buildFailure(
  deployment: { id: string; status: string; error: string | null },
  project: string,
  logShown: boolean,
): CliError {
  if (deployment.status === 'cancelled')
    return new CliError(`The build of deployment ${deployment.id} was cancelled.`, EXIT.failure);
  const error =
    deployment.error ?? `see its events: rise d logs ${project} --deployment ${deployment.id} --events`;
  const reason = logShown ? error.split('\nLast lines:')[0]! : error;
  return new CliError(`Deployment ${deployment.id} failed: ${reason}`, EXIT.failure);
}
