import type { GarbageCollection } from '@/server/registry/registry-gc';
import type { RegistryManifests } from '@/server/registry/registry-manifests';
import { PROJECT_IMAGE_LABEL } from '@/shared/builders/types';
import { parseImageReferenceOrId } from '@/shared/registry/image-reference';
import { diskHygieneRepo } from './disk-hygiene.repo';
import { type ExpiredImage, expiredImages } from './image-retention';
import type { EngineImage, ImageEngine } from './types';

export type ImageRetentionDeps = {
  engine: ImageEngine;
  /** How many newest deployments per project keep their image (RISE_IMAGE_RETENTION). */
  keep: number;
  /** RISE_REGISTRY_HOST: images named `<host>/<project>@…` live in Rise's registry. */
  registryHost: string;
  /** Rise's registry API; null when Rise does not run its own registry (ECR). */
  registry: RegistryManifests | null;
  /** The registry's garbage collection; null when Rise cannot run it here (no binary or config). */
  garbageCollect: (() => Promise<GarbageCollection>) | null;
  /** Whether an image may be uploading to the registry now: then GC waits for the next pass. */
  pushInProgress: () => Promise<boolean>;
  /** Runs one project's removals under its deploy lock, so no deploy or rollback of it runs meanwhile. */
  withProjectLock: <T>(projectId: string, run: () => Promise<T>) => Promise<T>;
  /** Only these projects (by id); all when absent. */
  projectIds?: string[];
};

export type ImageRetentionResult = {
  engineImagesRemoved: number;
  manifestsDeleted: number;
  /** Expired images a container (running or not) still uses: left alone. */
  inUse: number;
  gc: 'ran' | 'skipped: push in progress' | 'not configured';
  blobsDeleted: number;
  errors: string[];
};

/**
 * Removes the images of each project's deployments past retention (expiredImages) from the Docker
 * engine and from Rise's registry, then garbage-collects the registry's storage when nothing is being
 * pushed. Only images made for Rise projects are touched: those named in the project's repository of
 * Rise's registry, or local images labelled for the project; never one a container uses.
 */
export async function runImageRetention(deps: ImageRetentionDeps): Promise<ImageRetentionResult> {
  const result: ImageRetentionResult = {
    engineImagesRemoved: 0,
    manifestsDeleted: 0,
    inUse: 0,
    gc: 'not configured',
    blobsDeleted: 0,
    errors: [],
  };
  const usedImageIds = await deps.engine.imageIdsInUse();
  for (const projectId of deps.projectIds ?? (await diskHygieneRepo.projectIds())) {
    // Read under the lock: a rollback started meanwhile makes its image kept again.
    await deps.withProjectLock(projectId, async () => {
      const project = await diskHygieneRepo.projectWithImages(projectId);
      if (!project) return;
      const activeIds = new Set(
        [
          project.activeDeploymentId,
          ...project.deploymentGroups.map((group) => group.activeDeploymentId),
        ].filter((id): id is string => id !== null),
      );
      for (const image of expiredImages(project.deployments, deps.keep, activeIds).expired) {
        try {
          if (await removeImage(deps, project.name, image, usedImageIds, result))
            await diskHygieneRepo.markImageRemoved(image.deploymentIds);
        } catch (error) {
          result.errors.push(`${project.name} ${image.digest}: ${(error as Error).message}`);
        }
      }
    });
  }
  if (deps.garbageCollect && deps.registry) {
    if (await deps.pushInProgress()) result.gc = 'skipped: push in progress';
    else {
      result.blobsDeleted = (await deps.garbageCollect()).blobsDeleted;
      result.gc = 'ran';
    }
  }
  return result;
}

/**
 * Removes one expired image; true when it can no longer be run: gone from Rise's registry (the engine
 * cannot pull it again), or, for a local image, from the engine. An image of Rise's registry that only
 * left the engine (no registry API here) may still be pulled, so it does not count.
 */
async function removeImage(
  deps: ImageRetentionDeps,
  project: string,
  image: ExpiredImage,
  usedImageIds: ReadonlySet<string>,
  result: ImageRetentionResult,
): Promise<boolean> {
  const parsed = parseImageReferenceOrId(image.image);
  const inRiseRegistry =
    'repository' in parsed && parsed.registry === deps.registryHost && parsed.repository === project;
  const repository = `${deps.registryHost}/${project}`;
  if (inRiseRegistry) {
    const local = await deps.engine.inspectImage(`${repository}@${image.digest}`);
    if (local && usedImageIds.has(local.id)) {
      result.inUse += 1;
      return false;
    }
    if (local) {
      // Only this repository's names of the image go; the engine deletes it with its last name.
      const names = [
        ...local.repoDigests.filter((name) => name === `${repository}@${image.digest}`),
        ...local.repoTags.filter((name) => name.startsWith(`${repository}:`)),
      ];
      for (const name of names) await deps.engine.removeImage(name);
      if (!(await deps.engine.inspectImage(local.id))) result.engineImagesRemoved += 1;
    }
    if (!deps.registry) return false;
    // Deleted now, or already gone (404): either way no engine can pull it again.
    if (await deps.registry.deleteManifest(project, image.digest)) result.manifestsDeleted += 1;
    return true;
  }
  // A local image (pinned by its id) Rise built for this project; images of other registries are not Rise's.
  const local: EngineImage | null = await deps.engine.inspectImage(image.digest);
  // Not in the engine: another registry's image (pullable), or a local one already gone; unknown, so not marked.
  if (!local || local.labels[PROJECT_IMAGE_LABEL] !== project) return false;
  if (usedImageIds.has(local.id)) {
    result.inUse += 1;
    return false;
  }
  await deps.engine.removeImage(local.id);
  result.engineImagesRemoved += 1;
  return true;
}
