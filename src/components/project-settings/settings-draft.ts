import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { ownerRef, projectSettings } from '@/server/domains/projects/project.schema';
import { type CommandInput, commandArgv, commandInput, describeCommand } from '@/shared/deployments/commands';
import { DEFAULT_RUNTIME, isRuntimeName, type RuntimeName } from '@/shared/runtimes';

const COMMANDS = ['startCommand', 'releaseCommand', 'postDeployCommand'] as const;
type CommandField = (typeof COMMANDS)[number];

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
  startCommand: string;
  releaseCommand: string;
  postDeployCommand: string;
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
  startCommand?: CommandInput | null;
  releaseCommand?: CommandInput | null;
  postDeployCommand?: CommandInput | null;
};

/**
 * A command as typed: empty clears it, a JSON array is an argument vector run without a shell, anything
 * else a shell string (as in `.rise.toml`).
 */
export function commandFromText(
  text: string,
): { ok: true; command: CommandInput | null } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, command: null };
  let value: unknown = trimmed;
  if (trimmed.startsWith('[')) {
    try {
      value = JSON.parse(trimmed);
    } catch {
      return {
        ok: false,
        error: 'Not a JSON array: write ["node", "server.js"], or the command as a shell line.',
      };
    }
  }
  const parsed = commandInput.safeParse(value);
  return parsed.success
    ? { ok: true, command: parsed.data }
    : { ok: false, error: parsed.error.issues[0]?.message ?? 'Not a command.' };
}

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
    startCommand: describeCommand(project.startCommand) ?? '',
    releaseCommand: describeCommand(project.releaseCommand) ?? '',
    postDeployCommand: describeCommand(project.postDeployCommand) ?? '',
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
  for (const field of COMMANDS) {
    const parsed = commandFromText(draft[field]);
    if (!parsed.ok) errors[field] = parsed.error;
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
  for (const field of COMMANDS) commandChange(changes, field, draft[field], project[field]);
  return changes;
}

function commandChange(changes: SettingsChanges, field: CommandField, text: string, current: string[]) {
  const parsed = commandFromText(text);
  if (!parsed.ok) return;
  const argv = parsed.command === null ? [] : commandArgv(parsed.command);
  if (JSON.stringify(argv) !== JSON.stringify(current)) changes[field] = parsed.command;
}
