/**
 * Managed databases and their backups end to end, through the API and the real worker process:
 * database containers from locally built images (Debian + apt), cron schedules firing in pg-boss,
 * dumps made inside the containers, uploads verified on a local directory and a real S3 server
 * (s3rver), restores in place, into a new database and as drills, and Rise's own database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { DockerDatabaseHost } from '@/server/databases/docker/docker-database-host';
import type { DatabaseEngine, DatabaseTarget } from '@/server/databases/types';
import { getDb } from '@/server/db';
import { resolveEnvForRuntime } from '@/server/domains/env-vars/env-var.service';
import { buildTestDatabaseImages, TEST_DATABASE_IMAGES } from './database-images';
import { removeNetworks, TEST_SUBNET_POOL } from './docker-networks';
import { apiAs, createUser, uniqueName, userCaller } from './fixtures';
import { startS3Server, type TestS3Server } from './s3-server';
import { StopWaiting, type WaitOptions, waitFor } from './wait';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

const docker = new Dockerode();
const run = randomBytes(4).toString('hex');
const network = `rise-test-db-${run}`;
const instance = `rise-test-db-${run}`;
const backupDir = mkdtempSync(path.join(tmpdir(), 'rise-test-backups-'));
const host = new DockerDatabaseHost({ docker, network, manager: instance });
let s3: TestS3Server;
let worker: WorkerProcess;
let api: ReturnType<typeof apiAs>;
let project: string;

type Statement = string | string[];
const ROWS: Record<DatabaseEngine, { write: Statement[]; wipe: Statement; count: Statement }> = {
  postgres: {
    write: [
      [
        "CREATE TABLE items (id int primary key, name text); INSERT INTO items VALUES (1,'a'),(2,'b'),(3,'c')",
      ],
    ],
    wipe: ['DELETE FROM items'],
    count: ['SELECT count(*) FROM items'],
  },
  mariadb: {
    write: [
      [
        "CREATE TABLE items (id int primary key, name text); INSERT INTO items VALUES (1,'a'),(2,'b'),(3,'c')",
      ],
    ],
    wipe: ['DELETE FROM items'],
    count: ['SELECT count(*) FROM items'],
  },
  redis: {
    write: [
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['SET', 'c', '3'],
    ],
    wipe: ['FLUSHALL'],
    count: ['DBSIZE'],
  },
};

/** How a test reaches a database: the credentials come from the API (database.reveal). */
async function targetOf(name: string): Promise<DatabaseTarget> {
  const database = await api.database.get({ project, database: name });
  const { url } = await api.database.reveal({ project, database: name });
  return {
    engine: database.engine,
    host: database.host,
    credentials: {
      username: database.username,
      password: decodeURIComponent(new URL(url).password),
      database: database.databaseName,
    },
  };
}

const rowsIn = async (name: string, engine: DatabaseEngine) =>
  Number(await host.query(await targetOf(name), ROWS[engine].count));

const withWorkerOutput = (description: string, timeoutMs: number): WaitOptions => ({
  description,
  timeoutMs,
  intervalMs: 1000,
  context: () => worker.output(),
});

async function waitForDatabase(name: string) {
  await waitFor(
    async () => {
      const database = await api.database.get({ project, database: name });
      if (database.status === 'failed')
        throw new StopWaiting(`provisioning ${name} failed: ${database.error}`);
      return database.status === 'running' ? database : undefined;
    },
    withWorkerOutput(`database ${name} to run`, 240_000),
  );
}

async function waitForBackup(database: string, predicate: (b: { id: string }) => boolean = () => true) {
  return waitFor(
    async () =>
      (await api.backup.list({ project, database })).find(
        (b) => (b.status === 'succeeded' || b.status === 'failed') && predicate(b),
      ),
    withWorkerOutput(`a finished backup of ${database}`, 180_000),
  );
}

async function waitForRestore(database: string, id: string) {
  return waitFor(
    async () =>
      (await api.backup.restores({ project, database })).find(
        (r) => r.id === id && (r.status === 'succeeded' || r.status === 'failed'),
      ),
    withWorkerOutput(`restore ${id} of ${database}`, 240_000),
  );
}

async function restoreLog(database: string, restore: string) {
  const lines: string[] = [];
  const stream = await api.backup.restoreLogs({ project, database, restore });
  for await (const entry of stream) lines.push(entry.message);
  return lines;
}

const at = <T>(items: T[], index: number): T => {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
};

async function lastSucceeded(database: string) {
  const backups = await api.backup.list({ project, database });
  return at(
    backups.filter((b) => b.status === 'succeeded'),
    0,
  );
}

beforeAll(async () => {
  await buildTestDatabaseImages({ docker });
  // The API runs in this process and records the image a database runs from.
  env.RISE_DB_POSTGRES_IMAGE = TEST_DATABASE_IMAGES.postgres;
  env.RISE_DB_MARIADB_IMAGE = TEST_DATABASE_IMAGES.mariadb;
  env.RISE_DB_REDIS_IMAGE = TEST_DATABASE_IMAGES.redis;
  s3 = await startS3Server(['rise-backups']);
  // s3rver listens on loopback, which the outbound guard refuses unless allowed (here and in the worker).
  env.RISE_OUTBOUND_ALLOW = [new URL(s3.endpoint).host];
  worker = await startWorkerProcess({
    RISE_OUTBOUND_ALLOW: new URL(s3.endpoint).host,
    RISE_DOCKER_NETWORK: network,
    RISE_INSTANCE_ID: instance,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_DB_POSTGRES_IMAGE: TEST_DATABASE_IMAGES.postgres,
    RISE_DB_MARIADB_IMAGE: TEST_DATABASE_IMAGES.mariadb,
    RISE_DB_REDIS_IMAGE: TEST_DATABASE_IMAGES.redis,
    RISE_BACKUP_DIR: backupDir,
    RISE_PLATFORM_BACKUP_CRON: 'off',
  });
  const owner = await createUser({ admin: true });
  api = apiAs(userCaller(owner));
  project = uniqueName('dbs');
  await api.project.create({ name: project });
}, 900_000);

afterAll(async () => {
  await worker?.stop();
  await s3?.close();
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`dev.rise.managed-by=${instance}`] },
  });
  for (const container of containers)
    await docker.getContainer(container.Id).remove({ force: true, v: true });
  const volumes = await docker.listVolumes({ filters: { label: [`dev.rise.managed-by=${instance}`] } });
  for (const volume of volumes.Volumes ?? [])
    await docker
      .getVolume(volume.Name)
      .remove()
      .catch(() => {});
  await removeNetworks(docker, `dev.rise.managed-by=${instance}`);
  rmSync(backupDir, { recursive: true, force: true });
}, 120_000);

describe('managed databases with scheduled backups and verified restores', () => {
  const engines: DatabaseEngine[] = ['postgres', 'mariadb', 'redis'];

  it('postgres, mariadb and redis: rows written, cron backup taken, rows deleted, restored, rows back', async () => {
    await api.backup.addDestination({
      project,
      destination: {
        kind: 's3',
        name: 's3',
        endpoint: s3.endpoint,
        region: 'us-east-1',
        bucket: 'rise-backups',
        prefix: 'team-a',
        forcePathStyle: true,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
    });
    for (const engine of engines) {
      await api.database.create({
        project,
        name: engine,
        engine,
        envPrefix: engine === 'redis' ? 'REDIS' : `${engine.toUpperCase()}`,
      });
    }
    for (const engine of engines) await waitForDatabase(engine);

    for (const engine of engines) {
      const target = await targetOf(engine);
      for (const statement of ROWS[engine].write) await host.query(target, statement);
      expect(await rowsIn(engine, engine)).toBe(3);
      // MariaDB goes to S3 (encrypted), the others to the local directory.
      await api.backup.addSchedule({
        project,
        database: engine,
        cron: '* * * * *',
        destination: engine === 'mariadb' ? 's3' : 'local',
        encrypt: engine === 'mariadb',
        keepLast: 5,
        maxAgeDays: null,
      });
    }

    const backups = await Promise.all(engines.map((engine) => waitForBackup(engine)));
    for (const [index, backup] of backups.entries()) {
      expect(backup, `${engines[index]}: ${backup.error}`).toMatchObject({
        status: 'succeeded',
        trigger: 'schedule',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(backup.sizeBytes).toBeGreaterThan(0);
    }
    // Stop the schedules so no newer backup of the emptied databases is taken.
    for (const engine of engines) {
      for (const schedule of await api.backup.schedules({ project, database: engine })) {
        await api.backup.removeSchedule({ project, database: engine, schedule: schedule.id });
      }
    }

    for (const engine of engines) {
      await host.query(await targetOf(engine), ROWS[engine].wipe);
      expect(await rowsIn(engine, engine)).toBe(0);
    }

    const restores = await Promise.all(
      engines.map((engine, index) =>
        api.backup.restore({ project, database: engine, backup: at(backups, index).id, mode: 'in_place' }),
      ),
    );
    for (const [index, engine] of engines.entries()) {
      const restore = at(restores, index);
      const finished = await waitForRestore(engine, restore.id);
      expect(finished, `${engine}: ${finished.error}`).toMatchObject({ status: 'succeeded' });
      expect(await rowsIn(engine, engine)).toBe(3);
      const log = await restoreLog(engine, restore.id);
      expect(log.some((line) => line.startsWith('Checksum verified'))).toBe(true);
      expect(log.at(-1)).toBe('restore succeeded');
    }
  }, 900_000);

  it('a drill restores into a scratch database, compares row counts and removes the scratch copy', async () => {
    const backup = await lastSucceeded('postgres');
    const drill = await api.backup.restore({
      project,
      database: 'postgres',
      backup: backup.id,
      mode: 'drill',
    });
    const finished = await waitForRestore('postgres', drill.id);
    expect(finished, finished.error ?? '').toMatchObject({ status: 'succeeded', mode: 'drill' });
    expect(finished.report).toEqual({
      passed: true,
      tables: [{ table: 'public.items', expected: 3, restored: 3 }],
    });
    // Followers stop at the final status once no line is left: the last line must come before it.
    const lines = await getDb().restoreEvent.findMany({
      where: { restoreId: drill.id },
      orderBy: { id: 'asc' },
    });
    expect(lines.at(-1)?.message).toBe('Drill passed: every table has its rows.');
    expect(lines.at(-1)?.createdAt.getTime()).toBeLessThanOrEqual(finished.finishedAt?.getTime() ?? 0);
    const scratch = await docker.listContainers({
      all: true,
      filters: { name: ['rise-drill-'], label: [`dev.rise.managed-by=${instance}`] },
    });
    expect(scratch).toEqual([]);
  }, 300_000);

  it('restores into a new database of the same engine, leaving the original alone', async () => {
    const backup = await lastSucceeded('mariadb');
    await host.query(await targetOf('mariadb'), "INSERT INTO items VALUES (4, 'd')");
    const restore = await api.backup.restore({
      project,
      database: 'mariadb',
      backup: backup.id,
      mode: 'new_database',
      into: 'mariadb-copy',
    });
    const finished = await waitForRestore('mariadb', restore.id);
    expect(finished, finished.error ?? '').toMatchObject({
      status: 'succeeded',
      targetDatabase: 'mariadb-copy',
    });
    expect(await rowsIn('mariadb-copy', 'mariadb')).toBe(3);
    expect(await rowsIn('mariadb', 'mariadb')).toBe(4);
    // The restore job started the new database; a provisioning job as well would re-create its
    // container after the restore (it did, once: the copy then refused connections for a while).
    const copy = await api.database.get({ project, database: 'mariadb-copy' });
    const provisions = await getDb().$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM pgboss.job WHERE name = 'database-provision' AND data->>'databaseId' = ${copy.id}`;
    expect(Number(provisions[0]?.count)).toBe(0);
  }, 400_000);

  it("gives the project the linked connection URL, which works from a container on the project's network", async () => {
    const { id } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
    const env = await resolveEnvForRuntime(id);
    const { url } = await api.database.reveal({ project, database: 'postgres' });
    expect(env.POSTGRES_URL).toBe(url);
    const postgresUrl = url;
    expect(env).not.toHaveProperty('DATABASE_URL');
    const container = await docker.createContainer({
      Image: TEST_DATABASE_IMAGES.postgres,
      Entrypoint: ['psql', postgresUrl, '-Atc', 'SELECT count(*) FROM items'],
      Labels: { 'rise.test': 'databases-backups', 'dev.rise.managed-by': instance },
      HostConfig: { NetworkMode: `${network}-${project}` },
    });
    await container.start();
    const { StatusCode } = await container.wait();
    const output = (await container.logs({ stdout: true, stderr: true })).toString();
    await container.remove({ force: true });
    expect(StatusCode, output).toBe(0);
    expect(output).toContain('3');
  }, 120_000);

  it('marks a backup failed when its upload fails, and raises a notification', async () => {
    await api.backup.addDestination({
      project,
      destination: {
        kind: 's3',
        name: 'broken',
        endpoint: s3.endpoint,
        region: 'us-east-1',
        bucket: 'no-such-bucket',
        forcePathStyle: true,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
    });
    const requested = await api.backup.run({ project, database: 'redis', destination: 'broken' });
    const finished = await waitForBackup('redis', (b) => b.id === requested.id);
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/bucket/i);
    expect(finished.sha256).toBeNull();
    const notifications = await api.backup.notifications({ project });
    expect(notifications[0]).toMatchObject({
      kind: 'backup.failed',
      details: expect.objectContaining({ backupId: requested.id }),
    });
  }, 300_000);

  it("backs up Rise's own database (encrypted) and proves it with a drill", async () => {
    const requested = await api.platformBackup.run({});
    const backup = await waitFor(
      async () =>
        (await api.platformBackup.list()).find(
          (b) => b.id === requested.id && (b.status === 'succeeded' || b.status === 'failed'),
        ),
      withWorkerOutput('the platform backup to finish', 120_000),
    );
    expect(backup, backup.error ?? '').toMatchObject({ status: 'succeeded', encrypted: true });
    const drill = await api.platformBackup.drill({ backup: backup.id });
    const finished = await waitFor(
      async () =>
        (await api.platformBackup.restores()).find(
          (r) => r.id === drill.id && (r.status === 'succeeded' || r.status === 'failed'),
        ),
      withWorkerOutput('the platform drill to finish', 120_000),
    );
    expect(finished, finished.error ?? '').toMatchObject({ status: 'succeeded' });
    expect(finished.report?.passed).toBe(true);
    expect(finished.report?.tables.find((t) => t.table === 'managed_databases')?.restored).toBeGreaterThan(0);
  }, 300_000);
  it("keeps a deleted database's backups, restorable into a new database", async () => {
    const backup = await lastSucceeded('redis');
    await api.database.delete({ project, database: 'redis' });
    const deleted = await api.backup.deleted({ project });
    expect(deleted.find((b) => b.id === backup.id)).toMatchObject({ database: 'redis', status: 'succeeded' });
    await expect(
      api.backup.restore({ project, database: 'postgres', backup: backup.id, mode: 'drill' }),
    ).rejects.toThrow(/does not exist/);

    const restore = await api.backup.restoreDeleted({ project, backup: backup.id, into: 'redis-back' });
    const finished = await waitFor(
      async () =>
        (await api.backup.deletedRestores({ project })).find(
          (r) => r.id === restore.id && (r.status === 'succeeded' || r.status === 'failed'),
        ),
      withWorkerOutput('the restore of the deleted database', 240_000),
    );
    expect(finished, finished.error ?? '').toMatchObject({
      status: 'succeeded',
      targetDatabase: 'redis-back',
    });
    expect(await rowsIn('redis-back', 'redis')).toBe(3);
  }, 300_000);
});
