import type Dockerode from 'dockerode';
import type { EngineDiskUsage, ImageEngine } from '@/server/domains/disk-hygiene/types';

/** Disk hygiene's view of the Docker engine: images, the containers using them, `docker system df`. */
export function dockerImageEngine(docker: Dockerode): ImageEngine {
  return {
    imageIdsInUse: async () =>
      new Set((await docker.listContainers({ all: true })).map((container) => container.ImageID)),
    inspectImage: async (name) => {
      try {
        const image = await docker.getImage(name).inspect();
        return {
          id: image.Id,
          repoTags: image.RepoTags ?? [],
          repoDigests: image.RepoDigests ?? [],
          labels: image.Config?.Labels ?? {},
        };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
    },
    removeImage: async (name) => {
      await docker.getImage(name).remove({ noprune: false });
    },
  };
}

export const dockerDiskUsage = (docker: Dockerode) => async (): Promise<EngineDiskUsage> => docker.df();
