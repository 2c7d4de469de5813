import type Dockerode from 'dockerode';

/**
 * RISE_DOCKER_SUBNET_POOL for tests: project networks take /24s from here rather than from the
 * daemon's default pools (about 30 networks), which every engineer's tests on the machine share.
 */
export const TEST_SUBNET_POOL = '10.213.0.0/16';

/**
 * Removes every network carrying `label` (e.g. `dev.rise.managed-by=test-<run>`: the project networks
 * of a test's Rise instance), disconnecting what is still on them. Throws when one cannot go.
 */
export async function removeNetworks(docker: Dockerode, label: string): Promise<void> {
  for (const summary of await docker.listNetworks({ filters: { label: [label] } })) {
    const network = docker.getNetwork(summary.Id);
    const info = await network.inspect().catch(() => null);
    if (!info) continue;
    for (const id of Object.keys(info.Containers ?? {})) {
      await network.disconnect({ Container: id, Force: true }).catch(() => undefined);
    }
    await network.remove();
  }
}

/**
 * Every container carrying `label` (e.g. `rise.test=<run>`), then every network and volume (project
 * volumes) carrying it.
 */
export async function removeContainersAndNetworks(docker: Dockerode, label: string): Promise<void> {
  for (const container of await docker.listContainers({ all: true, filters: { label: [label] } }))
    await docker.getContainer(container.Id).remove({ force: true });
  await removeNetworks(docker, label);
  for (const volume of (await docker.listVolumes({ filters: { label: [label] } })).Volumes ?? [])
    await docker.getVolume(volume.Name).remove();
}

/**
 * Everything a test's Rise instance (`RISE_INSTANCE_ID=<instanceId>`) left on the engine: its
 * containers, then its project networks.
 */
export async function removeInstanceResources(docker: Dockerode, instanceId: string): Promise<void> {
  await removeContainersAndNetworks(docker, `dev.rise.managed-by=${instanceId}`);
}
