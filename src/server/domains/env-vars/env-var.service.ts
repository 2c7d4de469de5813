import type { Caller } from '@/server/domains/access/caller';
import { badRequest, notFound } from '@/server/errors';
import { PORT_ENV_VAR } from '@/server/runtime/instance-env';
import { decryptSecret, encryptSecret } from '@/server/security/secret-box';
import { inTransaction } from '@/server/transaction';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { linkedDatabaseEnv } from '../databases/database.service';
import { envVarRepo } from './env-var.repo';

type Project = { id: string; name: string; ownerTeamId: string | null };

export async function listEnvVars(project: Project) {
  return (await envVarRepo.list(project.id)).map((row) => ({
    key: row.key,
    value: row.secret ? null : row.value,
    secret: row.secret,
    updatedAt: row.updatedAt,
  }));
}

export async function setEnvVars(
  caller: Caller,
  project: Project,
  vars: { key: string; value: string; secret: boolean }[],
) {
  // Rise sets PORT to the project's port in every instance (the port it probes and routes to); a
  // project var cannot move the app elsewhere, so setting one is refused rather than ignored.
  if (vars.some((v) => v.key === PORT_ENV_VAR)) {
    throw badRequest(
      `PORT cannot be set as an env var of project '${project.name}': Rise sets it to the project's port. Change the port with \`rise project update ${project.name} --port <port>\` instead.`,
      { key: PORT_ENV_VAR },
    );
  }
  await inTransaction(async (tx) => {
    for (const { key, value, secret } of vars) {
      await envVarRepo.upsert(project.id, key, secret ? encryptSecret(value) : value, secret, tx);
    }
    await recordAudit(
      caller,
      {
        action: 'env.set',
        ...projectAuditTarget(project),
        // Keys only: values, secret or not, stay out of the audit log.
        details: { keys: vars.map((v) => v.key), secretKeys: vars.filter((v) => v.secret).map((v) => v.key) },
      },
      tx,
    );
  });
  return listEnvVars(project);
}

export async function removeEnvVar(caller: Caller, project: Project, key: string) {
  await inTransaction(async (tx) => {
    if ((await envVarRepo.delete(project.id, key, tx)) === 0) {
      throw notFound(`Env var '${key}' is not set on project '${project.name}'.`);
    }
    await recordAudit(
      caller,
      {
        action: 'env.remove',
        ...projectAuditTarget(project),
        details: { key },
      },
      tx,
    );
  });
  return listEnvVars(project);
}

/** The value of one var, a secret decrypted; revealing a secret is audited (the value is not). */
export async function revealEnvVar(caller: Caller, project: Project, key: string) {
  const row = await envVarRepo.find(project.id, key);
  if (!row) throw notFound(`Env var '${key}' is not set on project '${project.name}'.`);
  if (!row.secret) return { key, value: row.value };
  await recordAudit(caller, {
    action: 'env.reveal',
    ...projectAuditTarget(project),
    details: { key },
  });
  return { key, value: decryptSecret(row.value) };
}

/**
 * Plain values of every var, secrets decrypted: only for starting the app's containers. Linked
 * databases' vars come first, so a var set on the project overrides them.
 */
export async function resolveEnvForRuntime(projectId: string): Promise<Record<string, string>> {
  const rows = await envVarRepo.list(projectId);
  const own = Object.fromEntries(
    rows.map((row) => [row.key, row.secret ? decryptSecret(row.value) : row.value]),
  );
  return { ...(await linkedDatabaseEnv(projectId)), ...own };
}
