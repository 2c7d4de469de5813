import { z } from 'zod';
import { envVarKey } from '@/shared/env-vars/env-var.schema';
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

export const deploymentView = z.object({
  id: z.string(),
  project: z.string(),
  status: deploymentStatus,
  active: z.boolean(),
  image: z.string().nullable(),
  imageDigest: z.string().nullable(),
  slot: z.enum(['a', 'b']).nullable(),
  rolledBackFrom: z.string().nullable(),
  terminationReason: z.string().nullable(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  healthyAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
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
});

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
