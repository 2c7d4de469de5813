import type Dockerode from 'dockerode';
import { dockerMessage, dockerStatus, ignoreStatus } from '@/server/docker/docker-errors';
import { assertNamePart, isManaged, managedLabel, type RiseLabels } from '@/server/docker/labels';
import type { InstanceVolume } from '../types';

/**
 * `rise-vol.<instance>.<project>.<volume>`: the installation is in the name, so installations (and
 * test runs) sharing an engine never mount each other's data. Project and volume names have no '.',
 * so no two (instance, project, volume) share a name.
 */
export function projectVolumeName(keys: RiseLabels, project: string, volume: string): string {
  assertNamePart('instance', keys.manager);
  assertNamePart('project', project);
  assertNamePart('volume', volume);
  if (project.includes('.') || volume.includes('.')) {
    throw new Error(`project and volume names have no '.': ${project}/${volume}`);
  }
  return `rise-vol.${keys.manager}.${project}.${volume}`;
}

/** The project volumes (Docker named volumes) of one installation on one engine. */
export class ProjectVolumes {
  constructor(
    private readonly docker: Dockerode,
    private readonly keys: RiseLabels,
    private readonly extraLabels: Record<string, string>,
  ) {}

  /**
   * Creates the instance's volumes that are missing, and returns the mounts of its container. The
   * local driver has no size quota: `size` is recorded as a label only.
   */
  async ensure(project: string, volumes: readonly InstanceVolume[]): Promise<Dockerode.MountSettings[]> {
    const mounts: Dockerode.MountSettings[] = [];
    for (const volume of volumes) {
      const name = projectVolumeName(this.keys, project, volume.name);
      const existing = await ignoreStatus([404], () => this.docker.getVolume(name).inspect());
      if (existing && !isManaged(this.keys, existing.Labels)) {
        throw new Error(
          `Docker volume ${name} exists but is not this installation's (no ${managedLabel(this.keys)} label); not mounting it`,
        );
      }
      if (!existing) {
        await this.docker.createVolume({
          Name: name,
          Labels: {
            ...this.extraLabels,
            [this.keys.managedBy]: this.keys.manager,
            [this.keys.project]: project,
            [this.keys.volume]: volume.name,
            [`${this.keys.volume}.size`]: volume.size,
          },
        });
      }
      mounts.push({ Type: 'volume', Source: name, Target: volume.mountPath });
    }
    return mounts;
  }

  /** The Docker name of one of the project's volumes. */
  nameOf(project: string, volume: string): string {
    return projectVolumeName(this.keys, project, volume);
  }

  /** An empty volume of the project for a restore drill (removed with the project if left behind). */
  async createScratch(project: string): Promise<{ volume: string; remove: () => Promise<void> }> {
    const volume = `drill-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const name = projectVolumeName(this.keys, project, volume);
    await this.docker.createVolume({
      Name: name,
      Labels: {
        ...this.extraLabels,
        [this.keys.managedBy]: this.keys.manager,
        [this.keys.project]: project,
        [this.keys.volume]: volume,
      },
    });
    return { volume: name, remove: () => this.removeByName(name) };
  }

  /** Removes one volume and its data; refused by the engine while a container uses it. */
  async remove(project: string, volume: string): Promise<void> {
    await this.removeByName(projectVolumeName(this.keys, project, volume));
  }

  /** Removes every volume of the project (its containers must be gone). */
  async removeAll(project: string): Promise<string[]> {
    const names = await this.namesOf(project);
    for (const name of names) await this.removeByName(name);
    return names;
  }

  /** The names of the project's volumes, this installation's only. */
  async namesOf(project: string): Promise<string[]> {
    const answer = await this.docker.listVolumes({
      filters: { label: [managedLabel(this.keys), `${this.keys.project}=${project}`, this.keys.volume] },
    });
    return (answer.Volumes ?? [])
      .filter((volume) => isManaged(this.keys, volume.Labels) && volume.Labels?.[this.keys.volume])
      .map((volume) => volume.Name)
      .sort();
  }

  private async removeByName(name: string): Promise<void> {
    const existing = await ignoreStatus([404], () => this.docker.getVolume(name).inspect());
    if (!existing || !isManaged(this.keys, existing.Labels)) return;
    try {
      await ignoreStatus([404], () => this.docker.getVolume(name).remove());
    } catch (error) {
      if (dockerStatus(error) === 409) {
        throw new Error(`Docker volume ${name} is still in use by a container: ${dockerMessage(error)}`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
