import type { V1Deployment, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { InstanceSpec, InstanceVolume } from '../types';
import { LABELS, projectLabels } from './labels';

/** On PersistentVolumeClaims: the project volume's name. */
export const VOLUME_LABEL = 'rise.dev/volume';
/** On pods that mount the project's volumes: pod affinity keeps them on one node. */
export const MOUNTS_VOLUMES_LABEL = 'rise.dev/mounts-volumes';

/**
 * `vol.<project>.<volume>`: a DNS subdomain unique per project even when projects share a namespace
 * (neither project nor volume names have a '.').
 */
export function claimName(project: string, volume: string): string {
  if (!/^[a-z0-9-]+$/.test(project) || !/^[a-z0-9-]+$/.test(volume)) {
    throw new Error(`invalid project or volume name for a claim: ${project}/${volume}`);
  }
  return `vol.${project}.${volume}`;
}

/**
 * One claim per project volume, ReadWriteOnce, requesting `size` from the cluster's default
 * StorageClass. It outlives Deployments: only removing the volume or the project deletes it.
 */
export function claimManifest(
  project: string,
  volume: InstanceVolume,
  context: { instance: string; namespace: string; extraLabels?: Record<string, string> },
): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(project, volume.name),
      namespace: context.namespace,
      labels: {
        ...context.extraLabels,
        ...projectLabels(context.instance, project),
        [VOLUME_LABEL]: volume.name,
      },
    },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: volume.size } } },
  };
}

/**
 * The Deployment with the project's claims mounted into its app container. A ReadWriteOnce claim is
 * mounted on one node at a time: pod affinity puts every pod that mounts the project's volumes (the
 * new version's beside the old one's during a switch) on the same node.
 */
export function withVolumes(deployment: V1Deployment, spec: InstanceSpec, instance: string): V1Deployment {
  const volumes = spec.volumes ?? [];
  const template = deployment.spec?.template;
  const podSpec = template?.spec;
  if (volumes.length === 0 || !template || !podSpec) return deployment;
  const selector = { ...projectLabels(instance, spec.project), [MOUNTS_VOLUMES_LABEL]: 'true' };
  template.metadata = {
    ...template.metadata,
    labels: { ...template.metadata?.labels, [MOUNTS_VOLUMES_LABEL]: 'true' },
  };
  podSpec.volumes = volumes.map((volume) => ({
    name: `vol-${volume.name}`,
    persistentVolumeClaim: { claimName: claimName(spec.project, volume.name) },
  }));
  podSpec.containers = podSpec.containers.map((container) => ({
    ...container,
    volumeMounts: volumes.map((volume) => ({ name: `vol-${volume.name}`, mountPath: volume.mountPath })),
  }));
  podSpec.affinity = {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' },
      ],
    },
  };
  return deployment;
}

/** The project a claim belongs to, for label checks. */
export const claimProject = (labels: Record<string, string> | undefined) => labels?.[LABELS.project];
