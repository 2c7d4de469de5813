import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { ownerRef, projectSettings } from '@/server/domains/projects/project.schema';
import { DEFAULT_RUNTIME, isRuntimeName, type RuntimeName } from '@/shared/runtimes';

/** The settings form as typed: every field a string, as inputs hold them. */
export type SettingsDraft = {
  visibility: 'public' | 'private';
  runtime: RuntimeName;
  owner: string;
  port: string;
  healthPath: string;
  replicas: string;
  cpuLimit: string;
  memoryLimitMb: string;
};

export type SettingsChanges = {
  visibility?: 'public' | 'private';
  runtime?: RuntimeName;
  owner?: string;
  port?: number;
  healthPath?: string;
  replicas?: number;
  cpuLimit?: number | null;
  memoryLimitMb?: number | null;
};

export type DraftErrors = Partial<Record<keyof SettingsDraft, string>>;

export function draftOf(project: ProjectDetail): SettingsDraft {
  return {
    visibility: project.visibility,
    runtime: isRuntimeName(project.runtime) ? project.runtime : DEFAULT_RUNTIME,
    owner: project.owner,
    port: String(project.port),
    healthPath: project.healthPath,
    replicas: String(project.replicas),
    cpuLimit: project.cpuLimit === null ? '' : String(project.cpuLimit),
    memoryLimitMb: project.memoryLimitMb === null ? '' : String(project.memoryLimitMb),
  };
}

const shape = projectSettings.shape;
const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** Errors per field, with the rules of the API's schema; an empty object when the draft is valid. */
export function validateDraft(draft: SettingsDraft, canTransfer: boolean): DraftErrors {
  const errors: DraftErrors = {};
  if (canTransfer && !ownerRef.safeParse(draft.owner.trim()).success) {
    errors.owner = "Owner must look like 'user:<name>' or 'team:<name>'.";
  }
  if (!shape.port.safeParse(number(draft.port)).success) errors.port = 'A whole number from 1 to 65535.';
  if (!shape.healthPath.safeParse(draft.healthPath.trim()).success) {
    errors.healthPath = "A path that starts with '/', without spaces, e.g. /healthz.";
  }
  if (!shape.replicas.safeParse(number(draft.replicas)).success)
    errors.replicas = 'A whole number from 0 to 50.';
  if (draft.cpuLimit.trim() !== '' && !shape.cpuLimit.safeParse(number(draft.cpuLimit)).success) {
    errors.cpuLimit = 'More than 0 and at most 64 cores, e.g. 0.5; empty for no limit.';
  }
  if (
    draft.memoryLimitMb.trim() !== '' &&
    !shape.memoryLimitMb.safeParse(number(draft.memoryLimitMb)).success
  ) {
    errors.memoryLimitMb = 'A whole number of MB from 16 to 262144; empty for no limit.';
  }
  return errors;
}

/** What differs from the project, ready for `project.update` (call only with a valid draft). */
export function changesOf(
  draft: SettingsDraft,
  project: ProjectDetail,
  canTransfer: boolean,
): SettingsChanges {
  const changes: SettingsChanges = {};
  if (draft.visibility !== project.visibility) changes.visibility = draft.visibility;
  if (draft.runtime !== project.runtime) changes.runtime = draft.runtime;
  const owner = draft.owner.trim();
  if (canTransfer && owner !== project.owner) changes.owner = owner;
  if (Number(draft.port) !== project.port) changes.port = Number(draft.port);
  if (draft.healthPath.trim() !== project.healthPath) changes.healthPath = draft.healthPath.trim();
  if (Number(draft.replicas) !== project.replicas) changes.replicas = Number(draft.replicas);
  const cpu = draft.cpuLimit.trim() === '' ? null : Number(draft.cpuLimit);
  if (cpu !== project.cpuLimit) changes.cpuLimit = cpu;
  const memory = draft.memoryLimitMb.trim() === '' ? null : Number(draft.memoryLimitMb);
  if (memory !== project.memoryLimitMb) changes.memoryLimitMb = memory;
  return changes;
}
