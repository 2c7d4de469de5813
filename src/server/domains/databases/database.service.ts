import type { z } from 'zod';
import { env } from '@/env';
import { ENGINE_PORTS } from '@/server/databases/engines';
import type { DatabaseEngine } from '@/server/databases/types';
import type { Prisma, Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { conflict, notFound } from '@/server/errors';
import { databaseProvisionJob } from '@/server/jobs/definitions/database-provision.job';
import { databaseRemoveJob } from '@/server/jobs/definitions/database-remove.job';
import { enqueue } from '@/server/jobs/enqueue';
import { encryptSecret } from '@/server/security/secret-box';
import {
  connectionEnv,
  connectionEnvKeys,
  connectionUrl,
  DEFAULT_ENV_PREFIX,
} from '@/shared/databases/connection-env';
import type { createDatabaseInput, DatabaseView } from '@/shared/databases/database.schema';
import { recordAudit } from '../audit/audit.service';
import { type DatabaseRecord, databaseRepo, inTransaction, isUniqueViolation } from './database.repo';
import { credentialsOf, generatePassword } from './database-credentials';

type Project = { id: string; name: string; ownerTeamId: string | null };

const databaseImages = (): Record<DatabaseEngine, string> => ({
  postgres: env.RISE_DB_POSTGRES_IMAGE,
  mariadb: env.RISE_DB_MARIADB_IMAGE,
  redis: env.RISE_DB_REDIS_IMAGE,
});

export function toDatabaseView(row: DatabaseRecord): DatabaseView {
  return {
    id: row.id,
    name: row.name,
    engine: row.engine,
    image: row.image,
    status: row.status,
    error: row.error,
    host: row.host,
    port: ENGINE_PORTS[row.engine],
    username: row.username,
    databaseName: row.databaseName,
    envPrefix: row.envPrefix,
    envKeys: row.envPrefix ? connectionEnvKeys(row.engine, row.envPrefix) : [],
    cpuLimit: row.cpuLimit,
    memoryLimitMb: row.memoryLimitMb,
    createdAt: row.createdAt,
  };
}

/**
 * Container name and network alias; a DNS label, so long names fall back to the database id. An
 * installation other than the default (RISE_INSTANCE_ID) names itself in it, `rise-<instance>-db-…`:
 * another installation on the same Docker engine may have a project and database of the same names.
 */
export function databaseHost(
  projectName: string,
  databaseName: string,
  id: string,
  instance: string = env.RISE_INSTANCE_ID,
): string {
  const prefix = instance === 'rise' ? 'rise' : `rise-${instance.replaceAll(/[._]/g, '-')}`;
  const host = `${prefix}-db-${projectName}-${databaseName}`;
  return host.length <= 63 ? host : `rise-db-${databaseName}-${id.slice(-8)}`;
}

export async function listDatabases(project: Project) {
  return (await databaseRepo.list(project.id)).map(toDatabaseView);
}

export async function findDatabase(project: Project, name: string): Promise<DatabaseRecord> {
  const row = await databaseRepo.find(project.id, name);
  if (!row) throw notFound(`Database '${name}' does not exist in project '${project.name}'.`);
  return row;
}

export async function getDatabase(project: Project, name: string) {
  return toDatabaseView(await findDatabase(project, name));
}

async function assertPrefixFree(project: Project, prefix: string | null, exceptId?: string) {
  if (!prefix) return;
  const clash = (await databaseRepo.linked(project.id)).find(
    (db) => db.envPrefix === prefix && db.id !== exceptId,
  );
  if (clash) {
    throw conflict(
      `Database '${clash.name}' already gives this project ${prefix}_URL; choose another prefix, e.g. --env-prefix ${prefix}_2.`,
    );
  }
}

/**
 * Records the database and queues its provisioning; the container starts in the worker. A restore
 * into a new database passes its transaction and `provision: false`: the restore job starts it.
 */
export async function createDatabase(
  caller: Caller,
  project: Project,
  input: z.output<typeof createDatabaseInput>,
  options: { tx?: Tx; provision?: boolean } = {},
) {
  const { tx, provision = true } = options;
  const prefix = input.envPrefix === undefined ? DEFAULT_ENV_PREFIX[input.engine] : input.envPrefix;
  await assertPrefixFree(project, prefix);
  const run = async (db: Tx) => {
    const id = crypto.randomUUID().replaceAll('-', '').slice(0, 24);
    const host = databaseHost(project.name, input.name, id);
    const row = await databaseRepo.create(
      {
        id,
        projectId: project.id,
        name: input.name,
        engine: input.engine,
        image: databaseImages()[input.engine],
        username: input.engine === 'redis' ? 'default' : 'app',
        password: encryptSecret(generatePassword()),
        databaseName: input.engine === 'redis' ? '0' : 'app',
        host,
        volumeName: `${host}-data`,
        cpuLimit: input.cpuLimit ?? null,
        memoryLimitMb: input.memoryLimitMb ?? null,
        envPrefix: prefix,
      },
      db,
    );
    if (provision) await enqueue(db, databaseProvisionJob, { databaseId: row.id });
    await recordAudit(caller, databaseAudit('database.create', project, row, { engine: row.engine }), db);
    return row;
  };
  try {
    const row = tx ? await run(tx) : await inTransaction(run);
    return toDatabaseView(row);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict(`Database '${input.name}' already exists in project '${project.name}'.`);
    }
    throw error;
  }
}

/** Links (prefix) or unlinks (null); apps see the change at their next deploy. */
export async function linkDatabase(caller: Caller, project: Project, name: string, prefix: string | null) {
  const row = await findDatabase(project, name);
  await assertPrefixFree(project, prefix, row.id);
  const updated = await inTransaction(async (tx) => {
    const next = await databaseRepo.update(row.id, { envPrefix: prefix }, tx);
    await recordAudit(caller, databaseAudit('database.link', project, row, { envPrefix: prefix }), tx);
    return next;
  });
  return toDatabaseView(updated);
}

export async function deleteDatabase(caller: Caller, project: Project, name: string) {
  const row = await findDatabase(project, name);
  await inTransaction(async (tx) => {
    await databaseRepo.delete(row.id, tx);
    await enqueue(tx, databaseRemoveJob, { host: row.host, volumeName: row.volumeName });
    await recordAudit(caller, databaseAudit('database.delete', project, row), tx);
  });
  return { name: row.name, deleted: true as const };
}

/** Queues the removal of every database container of a project being deleted (its rows cascade). */
export async function removeProjectDatabases(projectId: string, tx: Tx) {
  for (const row of await databaseRepo.listForProject(projectId, tx)) {
    await enqueue(tx, databaseRemoveJob, { host: row.host, volumeName: row.volumeName });
  }
}

/** The connection URL with the password; audited like revealing a secret env var. */
export async function revealConnection(caller: Caller, project: Project, name: string) {
  const row = await findDatabase(project, name);
  await recordAudit(caller, databaseAudit('database.reveal', project, row));
  return { url: connectionUrl(row.engine, row.host, credentialsOf(row)) };
}

/** Env vars of every linked database: merged under the project's own vars when containers start. */
export async function linkedDatabaseEnv(projectId: string): Promise<Record<string, string>> {
  const rows = await databaseRepo.linked(projectId);
  return Object.assign(
    {},
    ...rows.map((row) => connectionEnv(row.engine, row.host, credentialsOf(row), row.envPrefix as string)),
  );
}

function databaseAudit(
  action: string,
  project: Project,
  row: { id: string; name: string },
  details: Prisma.InputJsonObject = {},
) {
  return {
    action,
    targetType: 'database',
    targetId: row.id,
    targetName: `${project.name}/${row.name}`,
    projectId: project.id,
    teamId: project.ownerTeamId,
    details,
  };
}
