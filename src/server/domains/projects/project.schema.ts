import { z } from 'zod';
import { BUILDER_BACKENDS } from '@/shared/builders/backends';
import { commandArgv, commandInput } from '@/shared/deployments/commands';
import { replicaCount } from '@/shared/processes/process.schema';
import { RUNTIME_NAMES } from '@/shared/runtimes';

export const PROJECT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

export const projectName = z.string().regex(PROJECT_NAME_PATTERN, {
  message:
    'Project names are 3-63 characters of lowercase letters, digits and hyphens, start with a letter and do not end with a hyphen.',
});

/** `user:<name>` or `team:<name>`. */
export const ownerRef = z
  .string()
  .regex(/^(user|team):[a-z0-9][a-z0-9-]*$/, {
    message: "Owner must look like 'user:<name>' or 'team:<name>'.",
  })
  .transform((value) => {
    const [kind, name] = value.split(':') as ['user' | 'team', string];
    return { kind, name };
  });

export const visibility = z.enum(['public', 'private']);
export const buildBackend = z.enum(BUILDER_BACKENDS);
/** Where a project's deployments run; changing it takes effect with the next deployment. */
export const projectRuntime = z.enum(RUNTIME_NAMES);
export const projectStatus = z.enum(['running', 'deploying', 'stopped', 'failed']);

/** A command setting as stored: its argument vector, `[]` for "not set" (null clears it). */
const projectCommand = commandInput
  .nullable()
  .optional()
  .transform((command) => (command === undefined ? undefined : command === null ? [] : commandArgv(command)));

export const projectSettings = z.object({
  buildBackend: buildBackend.optional(),
  dockerfile: z.string().min(1).max(255).nullable().optional(),
  buildContext: z.string().min(1).max(255).nullable().optional(),
  builder: z.string().min(1).max(255).nullable().optional(),
  port: z.number().int().min(1).max(65535).optional(),
  healthPath: z
    .string()
    .regex(/^\/\S*$/, { message: "Health path must start with '/'." })
    .optional(),
  /** Web's instances (`rise scale web=N` too); at least one: `rise d stop` stops an app. */
  replicas: replicaCount
    .min(1, { message: 'expected at least 1 web replica (stop the app with `rise d stop`)' })
    .optional(),
  cpuLimit: z.number().positive().max(64).nullable().optional(),
  memoryLimitMb: z.number().int().min(16).max(262144).nullable().optional(),
  runtime: projectRuntime.optional(),
  /** `[deploy] command`: replaces the image's ENTRYPOINT and CMD; null clears it. */
  startCommand: projectCommand,
  /** `[deploy] release`: run once per deployment before traffic moves; null clears it. */
  releaseCommand: projectCommand,
  /** `[deploy] post_deploy`: run once per deployment after traffic moved; null clears it. */
  postDeployCommand: projectCommand,
});

export const createProjectInput = z
  .object({
    name: projectName,
    visibility: visibility.default('public'),
    owner: ownerRef.optional(),
  })
  .extend(projectSettings.shape);

export const updateProjectInput = z
  .object({
    project: projectName,
    visibility: visibility.optional(),
    owner: ownerRef.optional(),
  })
  .extend(projectSettings.shape);

/** Most a page of a list procedure holds; the CLI pages through with this size. */
export const LIST_PAGE_MAX = 200;

/**
 * A page of the projects the caller may see, in name order. `cursor` is the last name of the
 * previous page; a page shorter than `limit` is the last one.
 */
export const listProjectsInput = z
  .object({
    /** Platform admins: every project, not only their own and their teams'. */
    all: z.boolean().default(false),
    /** Only the projects this team owns. */
    team: z.string().max(40).optional(),
    search: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9-]{0,63}$/, {
        message: 'Search for part of a project name: letters, digits and hyphens.',
      })
      .optional(),
    limit: z.number().int().min(1).max(LIST_PAGE_MAX).default(100),
    cursor: z.string().max(63).nullish(),
  })
  .default({ all: false, limit: 100 });

export const projectSummary = z.object({
  name: z.string(),
  status: projectStatus,
  url: z.string(),
  visibility,
  owner: z.string(),
  role: z.enum(['viewer', 'developer', 'admin', 'owner']),
  activeDeploymentId: z.string().nullable(),
  lastDeployment: z.object({ id: z.string(), status: z.string(), createdAt: z.date() }).nullable(),
  /** Preview deployment groups (all but `default`) now live. */
  previews: z.number().int(),
  createdAt: z.date(),
});

export const projectDetail = projectSummary.extend({
  desiredState: z.enum(['running', 'stopped']),
  runtime: z.string(),
  buildBackend,
  dockerfile: z.string().nullable(),
  buildContext: z.string().nullable(),
  builder: z.string().nullable(),
  port: z.number(),
  healthPath: z.string(),
  replicas: z.number(),
  cpuLimit: z.number().nullable(),
  memoryLimitMb: z.number().nullable(),
  /** Argument vectors; empty when not set. */
  startCommand: z.array(z.string()),
  releaseCommand: z.array(z.string()),
  postDeployCommand: z.array(z.string()),
  updatedAt: z.date(),
});

export type ProjectSummary = z.infer<typeof projectSummary>;
export type ProjectDetail = z.infer<typeof projectDetail>;

export const projectChangesInput = z
  .object({
    /** Platform admins: changes of every project. */
    all: z.boolean().default(false),
    /** Only this project's changes (a project page). */
    project: projectName.optional(),
  })
  .default({ all: false });

export const projectChange = z.discriminatedUnion('type', [
  /** Fresh summaries of projects whose status, deployments or settings changed. */
  z.object({ type: z.literal('changed'), projects: z.array(projectSummary) }),
  /** Listening (re)started: changes may have been missed, so reload what is shown. */
  z.object({ type: z.literal('resync') }),
]);
export type ProjectChange = z.infer<typeof projectChange>;
