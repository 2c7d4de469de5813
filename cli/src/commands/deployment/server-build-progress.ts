import type { Api } from '../../lib/api';
import { deployMessages } from '../../lib/deploy-messages';
import { printJson, say, startSpinner } from '../../lib/output';
import { buildFailure, buildOutcome, streamBuildLog } from './build-log-follow';

/** The line `rise d c --git` shows while the server build is in `status`; null: not a build phase. */
export function serverBuildPhase(project: string, status: string, ref?: string): string | null {
  if (status === 'pending') return deployMessages.serverQueued(project);
  if (status === 'building') return deployMessages.serverBuilding(project, ref);
  if (status === 'pushing') return deployMessages.serverPushing();
  if (status === 'cancelling') return deployMessages.serverCancelling();
  return null;
}

/** Statuses of a deployment whose server build pushed its image. */
const BUILT = ['pushed', 'deploying', 'healthy', 'unhealthy', 'superseded', 'stopped'];

/**
 * `rise d c --git`'s progress while the server builds: a line (a spinner on a terminal) per phase,
 * the build's output as it is stored with `verbose`. Resolves once the image is pushed, or with
 * 'timeout' at `deadline`; a build that failed or was cancelled is thrown as the command's error.
 */
export async function followServerBuild(
  api: Api,
  project: string,
  deployment: string,
  options: { ref?: string; verbose?: boolean; output: string; deadline: number },
): Promise<'pushed' | 'timeout'> {
  let phase: string | null = null;
  let spinner = null as { stop(): void } | null;
  let lines = 0;
  const stream = streamBuildLog(api, { project, deployment, follow: true }, (entry) => {
    if (entry.type === 'event' && options.verbose) {
      lines++;
      say(entry.message);
    } else if (entry.type === 'status' && entry.status !== phase) {
      // The server reports the status it sees each poll: a push quicker than that is never reported,
      // though every successful build went through it.
      if (phase === 'building' && BUILT.includes(entry.status)) show('pushing');
      show(entry.status);
    }
  });
  function show(status: string) {
    const text = serverBuildPhase(project, status, options.ref);
    if (!text) return;
    phase = status;
    spinner?.stop();
    // Build output and a redrawn spinner line would overwrite each other: with --verbose, plain lines.
    if (options.verbose) say(text);
    else spinner = startSpinner(text);
  }
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      stream.stop();
    },
    Math.max(0, options.deadline - Date.now()),
  );
  try {
    await stream.done;
  } finally {
    clearTimeout(timer);
    spinner?.stop();
  }
  if (timedOut) return 'timeout';
  const view = await api.deployment.get.query({ project, deployment });
  const outcome = buildOutcome(view);
  if (outcome === 'failed' || outcome === 'cancelled') {
    if (options.output === 'json') printJson(view);
    throw buildFailure(view, project, lines > 0);
  }
  return outcome === 'running' ? 'timeout' : 'pushed';
}
