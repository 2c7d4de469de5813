import type { z } from 'zod';
import { badRequest } from '@/server/errors';
import { PORT_ENV_VAR } from '@/server/runtime/instance-env';
import { decryptSecret, encryptSecret } from '@/server/security/secret-box';
import { resolveEnvForRuntime } from '../env-vars/env-var.service';
import type { deploymentEnvOverrides } from './deployment.schema';
import { deploymentEnvRepo } from './deployment-env.repo';

/** An override as stored: a secret's value sealed by secret-box. */
export type StoredEnvOverride = { key: string; value: string; secret: boolean };

/** The overrides of `rise d c -e` as they are stored: secrets encrypted; PORT refused, as on projects. */
export function sealEnvOverrides(
  projectName: string,
  overrides: z.output<typeof deploymentEnvOverrides>,
): StoredEnvOverride[] {
  if (overrides.some((v) => v.key === PORT_ENV_VAR)) {
    throw badRequest(
      `PORT cannot be set on a deployment of '${projectName}': Rise sets it to the project's port. Change the port with \`rise project update ${projectName} --port <port>\` instead.`,
      { key: PORT_ENV_VAR },
    );
  }
  return overrides.map(({ key, value, secret }) => ({
    key,
    value: secret ? encryptSecret(value) : value,
    secret,
  }));
}

/** What the API shows of stored overrides: plain values, and null for secrets. */
export function envOverridesView(overrides: readonly StoredEnvOverride[]) {
  return overrides.map(({ key, value, secret }) => ({ key, value: secret ? null : value, secret }));
}

/**
 * Plain env of one deployment's instances, secrets decrypted: the project's env vars (linked databases'
 * first) with the deployment's own overrides winning. Only for starting its containers.
 */
export async function resolveDeploymentEnvForRuntime(
  projectId: string,
  deploymentId: string,
): Promise<Record<string, string>> {
  const overrides = await deploymentEnvRepo.list(deploymentId);
  return {
    ...(await resolveEnvForRuntime(projectId)),
    ...Object.fromEntries(
      overrides.map(({ key, value, secret }) => [key, secret ? decryptSecret(value) : value]),
    ),
  };
}
