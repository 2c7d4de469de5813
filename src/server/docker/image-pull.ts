import type Dockerode from 'dockerode';
import { dockerMessage } from './docker-errors';
import { localImageId } from './local-image';

/**
 * Authorizes pulling `image` for `project`: the credentials to pull with (null: anonymous), or a
 * rejection when the project may not pull it (another project's repository, a refused registry host).
 * They go to the engine with this pull only (X-Registry-Auth); nothing is stored in the engine.
 */
export type PullAuth = (
  image: string,
  project: string,
) => Promise<{ username: string; password: string; serveraddress: string } | null>;

/**
 * Makes sure `image` exists on the engine: nothing to do when it is present (images built by Rise
 * usually are), else a pull. Failures name the image, e.g. when no registry is reachable.
 */
export async function ensureImage(
  docker: Dockerode,
  image: string,
  auth?: PullAuth,
  project = '',
): Promise<void> {
  if (await localImageId(docker, image)) return;
  const authconfig = (await auth?.(image, project)) ?? undefined;
  try {
    const stream = await docker.pull(image, authconfig ? { authconfig } : {});
    await followPull(docker, stream);
  } catch (error) {
    throw new Error(
      `image ${image} is not present locally and could not be pulled: ${dockerMessage(error)}`,
      { cause: error },
    );
  }
}

/** The engine reports pull failures inside the progress stream (`{"error": …}`), not as an HTTP status. */
function followPull(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    // followProgress listens for 'error' itself; this one also covers errors after it finished.
    stream.on('error', reject);
    docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
      const failed = error ?? events.find((event) => event.error);
      if (!failed) resolve();
      else reject(failed instanceof Error ? failed : new Error(failed.error));
    });
  });
}
