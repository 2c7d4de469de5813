import type { Slot } from './types';

/** The label keys naming an instance's project, deployment and slot (they differ between runtimes). */
export type InstanceLabelKeys = { project: string; deployment: string; slot: string };

export type InstanceIdentity = { project: string; deploymentId: string; slot: Slot };

/** The project, deployment and slot `labels` name, or null when one is missing or the slot is not a or b. */
export function readInstanceIdentity(
  keys: InstanceLabelKeys,
  labels: Record<string, string>,
): InstanceIdentity | null {
  const project = labels[keys.project];
  const deploymentId = labels[keys.deployment];
  const slot = labels[keys.slot];
  if (!project || !deploymentId || (slot !== 'a' && slot !== 'b')) return null;
  return { project, deploymentId, slot };
}
