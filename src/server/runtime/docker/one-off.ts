import type Dockerode from 'dockerode';
import { ignoreStatus } from '@/server/docker/docker-errors';
import { ensureImage, type PullAuth } from '@/server/docker/image-pull';
import { isManaged, managedLabel, type RiseLabels } from '@/server/docker/labels';
import type { OneOffOptions, OneOffResult, OneOffSpec } from '../types';
import { oneOffCreateOptions } from './container-spec';
import { containerName } from './instance-labels';
import { readLogFrames } from './log-stream';

export type OneOffContext = {
  docker: Dockerode;
  labels: RiseLabels;
  extraLabels: Record<string, string>;
  pullAuth?: PullAuth;
  /** Creates the project's network when missing; returns its name. */
  network(project: string): Promise<string>;
};

/**
 * Runs a one-off container to its end: pull, create on the project's network, start, stream its output
 * until it stops (or is killed at the timeout or on abort), read its exit code, and remove it whatever
 * happened.
 */
export async function runOneOffContainer(
  context: OneOffContext,
  spec: OneOffSpec,
  options: OneOffOptions,
): Promise<OneOffResult> {
  const { docker } = context;
  const name = containerName(spec.project, spec.id);
  await ensureImage(docker, spec.image, context.pullAuth, spec.project);
  const network = await context.network(spec.project);
  await removeLeftover(context, name);
  const container = await docker.createContainer(
    oneOffCreateOptions(name, spec, { network, labels: context.labels, extraLabels: context.extraLabels }),
  );
  let ended: 'timedOut' | 'cancelled' | null = null;
  let started = false;
  const stop = (why: 'timedOut' | 'cancelled') => {
    ended ??= why;
    // Before the start, the check after it kills the container.
    if (started) void ignoreStatus([304, 404, 409], () => container.kill());
  };
  const timer = setTimeout(() => stop('timedOut'), options.timeoutMs);
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort);
  try {
    if (ended) return { outcome: ended };
    await container.start();
    started = true;
    if (ended) await ignoreStatus([304, 404, 409], () => container.kill());
    // Everything since the start, then new lines until the container stops (the engine ends the stream).
    const stream = await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true });
    for await (const line of readLogFrames(stream as unknown as AsyncIterable<Buffer>)) {
      await options.onOutput(line);
    }
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    if (ended) return { outcome: ended };
    return { outcome: 'exited', exitCode: StatusCode };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await ignoreStatus([404, 409], () => container.remove({ force: true }));
  }
}

/** A one-off container of the same name a crashed worker left behind; refuses one Rise does not own. */
async function removeLeftover(context: OneOffContext, name: string): Promise<void> {
  const info = await ignoreStatus([404], () => context.docker.getContainer(name).inspect());
  if (!info) return;
  if (!isManaged(context.labels, info.Config.Labels)) {
    throw new Error(
      `container ${name} exists but is not managed by Rise (no ${managedLabel(context.labels)} label); not touching it`,
    );
  }
  await ignoreStatus([404, 409], () => context.docker.getContainer(info.Id).remove({ force: true }));
}
