import { z } from 'zod';

/**
 * Deployment groups: every deployment belongs to one (`default` unless `rise d c -g NAME`), each group
 * has at most one active deployment and its own URL. The default group alone sets the project's URL
 * and status; other groups are previews (`mr/26`, `pr-7`) answering at their own host.
 */
export const DEFAULT_GROUP = 'default';

const GROUP_PATTERN = /^[a-z0-9][a-z0-9/-]*[a-z0-9]$/;
/** Hosts and Kubernetes names are DNS labels: at most 63 characters. */
export const GROUP_SLUG_MAX = 63;

/** `mr/26` → `mr--26`: the group as it appears in hosts, route ids and Kubernetes names. */
export function groupSlug(group: string): string {
  return group.replaceAll('/', '--');
}

/** What is wrong with a group name, in words, or null when it is a valid one. */
export function groupNameProblem(group: string): string | null {
  if (group === DEFAULT_GROUP) return null;
  if (!GROUP_PATTERN.test(group)) {
    return `Group '${group}' is not valid: use lowercase letters, digits, '-' and '/', starting and ending with a letter or digit (e.g. mr/26, pr-7).`;
  }
  if (group.includes('--'))
    return `Group '${group}' is not valid: '--' is reserved (a '/' becomes '--' in hosts).`;
  if (groupSlug(group).length > GROUP_SLUG_MAX) {
    return `Group '${group}' is too long: at most ${GROUP_SLUG_MAX} characters once '/' becomes '--'.`;
  }
  return null;
}

export const groupName = z.string().superRefine((value, context) => {
  const problem = groupNameProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** RISE_GROUP_HOST_TEMPLATE's default: `my-app-mr--26.rise.example.com`. */
export const DEFAULT_GROUP_HOST_TEMPLATE = '{project}-{group}.{base}';

/** What is wrong with a group host template, or null: it must name both the project and the group. */
export function groupHostTemplateProblem(template: string): string | null {
  if (!template.includes('{project}') || !template.includes('{group}')) {
    return 'must contain {project} and {group} (e.g. {project}-{group}.{base} or {group}.{project}.preview.example.com)';
  }
  if (!/^[a-z0-9.{}-]+$/.test(template.replaceAll(/\{(project|group|base)\}/g, 'x'))) {
    return 'may contain only lowercase letters, digits, ".", "-" and the placeholders {project}, {group}, {base}';
  }
  return null;
}

/** The host a non-default group answers at; the default group's host is `<project>.<base>`. */
export function groupHost(template: string, parts: { project: string; group: string; base: string }): string {
  return template
    .replaceAll('{project}', parts.project)
    .replaceAll('{group}', groupSlug(parts.group))
    .replaceAll('{base}', parts.base);
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** The longest expiry one `--expire` (or one extension) sets. */
export const MAX_EXPIRY_MS = 365 * UNIT_MS.d;

/** `--expire 30m|2h|7d|1w` (also seconds: `20s`) in milliseconds. */
export const expiryDuration = z
  .string()
  .regex(/^[1-9]\d{0,5}[smhdw]$/, {
    message: 'Expiry is a number and a unit: s, m, h, d or w (e.g. 30m, 2h, 7d, 1w).',
  })
  .transform((value) => Number(value.slice(0, -1)) * UNIT_MS[value.at(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms <= MAX_EXPIRY_MS, { message: 'Expiry is at most 365 days.' });

/** A short human form of a remaining time: `6d 23h`, `59m`, `12s`; `expired` at or below zero. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  const seconds = Math.floor(ms / 1000);
  const [d, h, m] = [
    Math.floor(seconds / 86_400),
    Math.floor(seconds / 3600) % 24,
    Math.floor(seconds / 60) % 60,
  ];
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${seconds}s`;
}

/**
 * The identity of a group's route and instances across the proxy and runtimes: the project name for
 * the default group, `<project>.<group slug>` for others (project names and slugs have no '.', so no
 * project or group can take another's key).
 */
export function groupKey(project: string, group: string = DEFAULT_GROUP): string {
  return group === DEFAULT_GROUP ? project : `${project}.${groupSlug(group)}`;
}
