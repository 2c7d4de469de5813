import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { type Slot, WEB_PROCESS } from './types';

/** The label keys naming an instance's project, deployment and slot (they differ between runtimes). */
/** `group`: the label naming a non-default deployment group (absent on default-group instances). */
/** `process`, `replica`: labels naming an instance other than web replica 0 (absent on that one). */
export type InstanceLabelKeys = {
  project: string;
  deployment: string;
  slot: string;
  group: string;
  process?: string;
  replica?: string;
};

export type InstanceIdentity = {
  project: string;
  group?: string;
  deploymentId: string;
  slot: Slot;
  process?: string;
  replica?: number;
};

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
  const identity: InstanceIdentity =
    group && group !== DEFAULT_GROUP
      ? { project, group, deploymentId, slot }
      : { project, deploymentId, slot };
  const process = keys.process ? labels[keys.process] : undefined;
  const replica = keys.replica ? Number(labels[keys.replica]) : Number.NaN;
  // Web replica 0 carries neither label: it reads as it did before there were processes.
  if (process && /^[a-z][a-z0-9-]*$/.test(process) && Number.isInteger(replica) && replica >= 0) {
    if (process !== WEB_PROCESS || replica !== 0) return { ...identity, process, replica };
  }
  return identity;
}
