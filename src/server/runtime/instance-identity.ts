import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import type { Slot } from './types';

/** The label keys naming an instance's project, deployment and slot (they differ between runtimes). */
/** `group`: the label naming a non-default deployment group (absent on default-group instances). */
export type InstanceLabelKeys = { project: string; deployment: string; slot: string; group: string };

export type InstanceIdentity = { project: string; group?: string; deploymentId: string; slot: Slot };

/** The project, deployment and slot `labels` name, or null when one is missing or the slot is not a or b. */
export function readInstanceIdentity(
  keys: InstanceLabelKeys,
  labels: Record<string, string>,
): InstanceIdentity | null {
  const project = labels[keys.project];
  const deploymentId = labels[keys.deployment];
  const slot = labels[keys.slot];
  if (!project || !deploymentId || (slot !== 'a' && slot !== 'b')) return null;
  const group = labels[keys.group];
  return group && group !== DEFAULT_GROUP
    ? { project, group, deploymentId, slot }
    : { project, deploymentId, slot };
}
