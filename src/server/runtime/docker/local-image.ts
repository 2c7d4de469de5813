import type Dockerode from 'dockerode';

/** The id of an image present in the local Docker engine, or null. */
export async function localImageId(docker: Dockerode, reference: string): Promise<string | null> {
  try {
    return (await docker.getImage(reference).inspect()).Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw error;
  }
}
