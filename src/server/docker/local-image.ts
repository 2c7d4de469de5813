import type Dockerode from 'dockerode';
import { dockerStatus } from './docker-errors';

export type LocalImage = { id: string; labels: Record<string, string> };

/**
 * The image `reference` names in the local Docker engine, or null. `reference` must already be a valid
 * reference or image id: the engine API takes it as a URL path (an unchecked one such as `a/../../etc`
 * makes the engine answer a redirect).
 */
export async function inspectLocalImage(docker: Dockerode, reference: string): Promise<LocalImage | null> {
  try {
    const info = await docker.getImage(reference).inspect();
    return { id: info.Id, labels: info.Config?.Labels ?? {} };
  } catch (error) {
    const status = dockerStatus(error);
    if (status === 404) return null;
    if (status === 400) return null;
    throw new Error(
      `could not inspect image ${reference} in the Docker engine: ${(error as Error).message}`.trim(),
      { cause: error },
    );
  }
}

/** The id of an image present in the local Docker engine, or null. */
export async function localImageId(docker: Dockerode, reference: string): Promise<string | null> {
  return (await inspectLocalImage(docker, reference))?.id ?? null;
}
