import { z } from 'zod';
import { DEFAULT_GROUP, expiryDuration, groupName } from '@/shared/deployment-groups';
import { deploymentCrashes } from '@/shared/deployments/crashes';
import { envVarKey } from '@/shared/env-vars/env-var.schema';
import { gitRefName } from '@/shared/git/git-ref.schema';
import { imageReferenceProblem } from '@/shared/registry/image-reference';
import { projectName } from '../projects/project.schema';

export const deploymentId = z.string().regex(/^\d{8}-\d{4}-[a-z0-9]{4}$/, {
  message: 'Deployment ids look like 20261122-0132-k3f9.',
});

export const deploymentStatus = z.enum([
  'pending',
  'building',
  'pushing',
  'pushed',
  'deploying',
  'healthy',
  'unhealthy',
  'cancelling',
  'cancelled',
  'terminating',
  'stopped',
  'superseded',
  'failed',
  'expired',
]);

/** What started a deployment (as shown: `git-push`, not the stored `git_push`). */
export const deploymentTrigger = z.enum(['cli', 'git-push', 'pull-request', 'manual', 'rollback']);

export const deploymentView = z.object({
  id: z.string(),
  project: z.string(),
  status: deploymentStatus,
  /** Whether it is its group's active deployment (the one its group's URL serves while it is live). */
  active: z.boolean(),
  /** Deployment group: `default` (the project's URL) or a preview such as `mr/26`. */
  group: z.string(),
  /** The URL of the deployment's group. */
  url: z.string(),
  /** When the worker expires it (`rise d c --expire`, `rise d extend`); null: never. */
  expiresAt: z.date().nullable(),
  image: z.string().nullable(),
  imageDigest: z.string().nullable(),
  /** Image retention (RISE_IMAGE_RETENTION) removed its image: it cannot run again (no rollback). */
  imageRemoved: z.boolean(),
  slot: z.enum(['a', 'b']).nullable(),
  rolledBackFrom: z.string().nullable(),
  terminationReason: z.string().nullable(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  trigger: deploymentTrigger,
  /** The commit a server build built (or a rollback/restart runs again); null: built by a client. */
  commit: z
    .object({
      ref: z.string().nullable(),
      sha: z.string(),
      message: z.string().nullable(),
      author: z.string().nullable(),
    })
    .nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  healthyAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  /** Crash restarts since the app last ran stable, crash-looping; null: none. */
  crashes: deploymentCrashes.nullable(),
  /** Env vars of this deployment only, over the project's; a secret's value is null (never sent back). */
  envOverrides: z.array(z.object({ key: z.string(), value: z.string().nullable(), secret: z.boolean() })),
});

export const MAX_DEPLOYMENT_ENV_OVERRIDES = 100;

/** `rise d c -e K=V`: env vars of one deployment, applied over the project's; secrets stored encrypted. */
export const deploymentEnvOverrides = z
  .array(
    z.object({
      key: envVarKey,
      value: z.string().max(65536, { message: 'Env var values are at most 65536 characters.' }),
      secret: z.boolean().default(false),
    }),
  )
  .max(MAX_DEPLOYMENT_ENV_OVERRIDES, {
    message: `A deployment takes at most ${MAX_DEPLOYMENT_ENV_OVERRIDES} env var overrides; set shared ones on the project (rise env set).`,
  })
  .superRefine((vars, context) => {
    const seen = new Set<string>();
    for (const [index, { key }] of vars.entries()) {
      if (seen.has(key))
        context.addIssue({
          code: 'custom',
          path: [index, 'key'],
          message: `Env var '${key}' is given twice.`,
        });
      seen.add(key);
    }
  });

/** An image reference by the OCI distribution grammar (or a local image id); the message names the wrong part. */
export const imageReference = z
  .string()
  .max(1024, { message: 'Image references are at most 1024 characters.' })
  .superRefine((value, context) => {
    const problem = imageReferenceProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `${problem} (e.g. ghcr.io/acme/app:1.2)` });
  });

export const createDeploymentInput = z.object({
  project: projectName,
  /**
   * A pre-built image reference; Rise pins it to a digest before running it. Without one the
   * deployment waits (`pending`) for the client to build and push, reporting with `deployment.report`.
   */
  image: imageReference.optional(),
  envOverrides: deploymentEnvOverrides.default([]),
  /** Deployment group (`-g mr/26`): its own URL and active deployment; default `default`. */
  group: groupName.default(DEFAULT_GROUP),
  /** `--expire 7d`: the deployment (and, when it is active, its group) goes away after this long. */
  expire: expiryDuration.optional(),
  /** `rise d c --git`: the server builds the project's git source (its branch, or `ref`), not the client. */
  git: z.boolean().default(false),
  /** With `git`: the branch, tag or commit sha to build; default the source's branch. */
  ref: gitRefName.optional(),
});

/** Which deployments `deployment.list` returns: one group's (default `default`) or every group's. */
export const listDeploymentsInput = z.object({
  limit: z.number().int().min(1).max(200).default(20),
  cursor: deploymentId.nullish(),
  group: groupName.optional(),
  allGroups: z.boolean().default(false),
});

/** `rise d extend`: a new expiry counted from now, for one deployment or a group's active one. */
export const extendDeploymentInput = z
  .object({
    project: projectName,
    deployment: deploymentId.optional(),
    group: groupName.optional(),
    expire: expiryDuration,
  })
  .refine((input) => !(input.deployment && input.group), {
    message: 'Give a deployment or a group, not both.',
  });

/** A deployment group as the dashboard's previews panel and `rise d ls --all-groups` show it. */
export const deploymentGroupView = z.object({
  group: z.string(),
  url: z.string(),
  /** The active deployment (null while its first deployment is in progress). */
  activeDeployment: z.string().nullable(),
  /** The status of the active deployment, else of the group's latest one. */
  status: deploymentStatus,
  expiresAt: z.date().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});

export type DeploymentGroupView = z.infer<typeof deploymentGroupView>;

/** Progress of a client-side build: building → pushing → pushed (with the pushed digest), or failed. */
export const reportDeploymentInput = z.discriminatedUnion('phase', [
  z.object({ project: projectName, deployment: z.string(), phase: z.literal('building') }),
  z.object({ project: projectName, deployment: z.string(), phase: z.literal('pushing') }),
  z.object({
    project: projectName,
    deployment: z.string(),
    phase: z.literal('pushed'),
    image: imageReference,
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, { message: 'expected sha256:<64 hex>' }),
  }),
  z.object({
    project: projectName,
    deployment: z.string(),
    phase: z.literal('failed'),
    error: z.string().max(4000),
  }),
]);

export const deploymentLogEntry = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('event'),
    id: z.string(),
    level: z.string(),
    message: z.string(),
    time: z.date(),
  }),
  z.object({
    type: z.literal('log'),
    stream: z.enum(['stdout', 'stderr']),
    line: z.string(),
    time: z.date().nullable(),
  }),
  z.object({ type: z.literal('status'), status: deploymentStatus }),
]);

export type DeploymentView = z.infer<typeof deploymentView>;
