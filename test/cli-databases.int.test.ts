/**
 * `rise db` with the real CLI binary against the production server and the real worker: create a Redis
 * database and wait for it, back it up and wait, list the history, prove the backup with a drill
 * (streamed log, report), and refuse an in-place restore without --yes when there is no terminal.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApi, signUpLocally } from './api-client';
import { runCli } from './cli-runner';
import { buildTestDatabaseImages, TEST_DATABASE_IMAGES } from './database-images';
import { removeNetworks, TEST_SUBNET_POOL } from './docker-networks';
import { type NextServer, startNextServer } from './next-server';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

const runId = randomBytes(4).toString('hex');
const instance = `test-clidb-${runId}`;
const network = `rise-test-clidb-${runId}`;
const dataDir = mkdtempSync(join(tmpdir(), 'rise-cli-db-'));
const home = mkdtempSync(join(tmpdir(), 'rise-cli-db-home-'));
const project = `clidb-${runId}`;
let web: NextServer;
let worker: WorkerProcess;
let token: string;

beforeAll(async () => {
  await buildTestDatabaseImages();
  const shared = {
    RISE_DATA_DIR: dataDir,
    RISE_DOCKER_NETWORK: network,
    RISE_INSTANCE_ID: instance,
    RISE_DOCKER_SUBNET_POOL: TEST_SUBNET_POOL,
    RISE_DB_REDIS_IMAGE: TEST_DATABASE_IMAGES.redis,
    RISE_PLATFORM_BACKUP_CRON: 'off',
  };
  web = await startNextServer({ ...shared, RISE_LOCAL_AUTH: 'true' });
  worker = await startWorkerProcess({ ...shared, RISE_URL: web.url });
  const cookie = await signUpLocally(web.url, {
    email: `db-${runId}@example.test`,
    password: 'correct-horse-battery',
  });
  const browser = httpApi(web.url, { cookie });
  await browser.project.create.mutate({ name: project });
  token = (await browser.token.create.mutate({ name: 'cli-db test' })).token;
}, 600_000);

afterAll(async () => {
  await worker?.stop();
  await web?.stop();
  const docker = new Dockerode();
  const filters = { label: [`dev.rise.managed-by=${instance}`] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true, v: true });
  }
  for (const volume of (await docker.listVolumes({ filters })).Volumes ?? []) {
    await docker
      .getVolume(volume.Name)
      .remove()
      .catch(() => undefined);
  }
  await removeNetworks(docker, `dev.rise.managed-by=${instance}`);
  for (const dir of [dataDir, home]) rmSync(dir, { recursive: true, force: true });
}, 120_000);

const rise = (args: string[]) => runCli(args, { home, env: { RISE_URL: web.url, RISE_TOKEN: token } });

describe('rise db', () => {
  it('creates, backs up, lists, drills and guards the in-place restore', async () => {
    const created = await rise([
      'db',
      'create',
      'cache',
      '--engine',
      'redis',
      '--wait',
      '--project',
      project,
    ]);
    expect(created.code, `${created.stderr}\n${worker.output().slice(-2000)}`).toBe(0);
    expect(created.stderr + created.stdout).toContain('REDIS_URL');

    const backup = await rise(['db', 'backup', 'cache', '--wait', '-o', 'json', '--project', project]);
    expect(backup.code, backup.stderr).toBe(0);
    const taken = JSON.parse(backup.stdout) as { id: string; status: string; sizeBytes: number };
    expect(taken).toMatchObject({ status: 'succeeded' });
    expect(taken.sizeBytes).toBeGreaterThan(0);

    const history = await rise(['db', 'backups', 'cache', '--project', project]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(taken.id);
    expect(history.stdout).toContain('succeeded');

    const drill = await rise(['db', 'restore', 'cache', taken.id, '--drill', '--project', project]);
    expect(drill.code, `${drill.stderr}\n${drill.stdout}`).toBe(0);
    expect(drill.stderr).toContain('Checksum verified');
    expect(drill.stderr).toContain('Drill passed');

    const unconfirmed = await rise(['db', 'restore', 'cache', taken.id, '--project', project]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    const restores = await httpApi(web.url, { token }).backup.restores.query({ project, database: 'cache' });
    expect(restores.map((restore) => restore.mode)).toEqual(['drill']);
  }, 600_000);
});
