import { assertNamePart, isManaged, type RiseLabels } from '@/server/docker/labels';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { type InstanceIdentity, readInstanceIdentity } from '../instance-identity';
import { type InstanceRef, isPrimary, processOf, replicaOf, type Slot } from '../types';

/**
 * `rise-<project>-<deploymentId>` for a deployment's web replica 0 (the name every deployment had
 * before processes), `rise-<project>-<deploymentId>-<process>-<replica>` for its other instances.
 */
export function containerName(project: string, deploymentId: string, instance?: InstanceRef): string {
  assertNamePart('project', project);
  assertNamePart('deployment id', deploymentId);
  if (!instance || isPrimary(instance)) return `rise-${project}-${deploymentId}`;
  assertNamePart('process', instance.process);
  return `rise-${project}-${deploymentId}-${instance.process}-${instance.replica}`;
}

export function instanceLabels(
  keys: RiseLabels,
  instance: {
    project: string;
    group?: string;
    deploymentId: string;
    slot: Slot;
    slotHostPorts?: number[];
    process?: string;
    replica?: number;
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(isPrimary(instance)
      ? {}
      : { [keys.process]: processOf(instance), [keys.replica]: String(replicaOf(instance)) }),
    ...extra,
    [keys.managedBy]: keys.manager,
    [keys.project]: instance.project,
    [keys.deployment]: instance.deploymentId,
    [keys.slot]: instance.slot,
    ...(instance.group && instance.group !== DEFAULT_GROUP ? { [keys.group]: instance.group } : {}),
    ...(instance.slotHostPorts?.length ? { [keys.hostPorts]: instance.slotHostPorts.join(',') } : {}),
  };
}

/** The ports of a `host-ports` label, whoever set it; nothing when absent or malformed. */
export function readHostPortsLabel(
  keys: RiseLabels,
  labels: Record<string, string> | null | undefined,
): number[] {
  const value = labels?.[keys.hostPorts];
  if (!value || !/^\d{1,5}(,\d{1,5})*$/.test(value)) return [];
  return value.split(',').map(Number);
}

/** Project, deployment and slot of a container Rise manages, or null when the labels are not Rise's. */
export function readInstanceLabels(
  keys: RiseLabels,
  labels: Record<string, string> | null | undefined,
): InstanceIdentity | null {
  if (!labels || !isManaged(keys, labels)) return null;
  return readInstanceIdentity(keys, labels);
}
