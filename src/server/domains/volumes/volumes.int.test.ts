import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { createBackupStore } from '@/server/backups/storage/backup-destination.schema';
import { execOrThrow } from '@/server/databases/docker/docker-exec';
import { getDb } from '@/server/db';
import { labelKeys } from '@/server/docker/labels';
import { volumeBackupJob } from '@/server/jobs/definitions/volume-backup.job';
import { cronScheduleKeys } from '@/server/jobs/enqueue';
import type { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { projectVolumeName } from '@/server/runtime/docker/project-volumes';
import { buildBusyboxBaseImage } from '../../../../test/busybox-base-image';
import { startCaddy, type TestCaddy } from '../../../../test/caddy';
import { removeContainersAndNetworks } from '../../../../test/docker-networks';
import { testDockerRuntime, testEngineDeps } from '../../../../test/engine-deps';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { getThroughProxy } from '../../../../test/http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from '../../../../test/images';
import { claimPortBlock } from '../../../../test/port-blocks';
import { backupArchiveKey } from '../backups/backup-keys';
import { destinationStoreConfig } from '../backups/destination.service';
import { deploymentRepo } from '../deployments/deployment.repo';
import { newDeploymentId } from '../deployments/deployment-id';
import type { EngineDeps } from '../deployments/engine-deps';
import { instanceSpecFor, runDeployment } from '../deployments/run-deployment';
import { removeProjectResources, stopProject } from '../deployments/stop-project';
import { runScheduledVolumeBackup, runVolumeBackup, type VolumeBackupDeps } from './run-volume-backup';

// Project volumes for real: Docker named volumes mounted by the deploy engine (called in-process, as
// the worker calls it), Caddy routing, PostgreSQL. The app is busybox: files are written and read
// with docker exec.

const runId = randomBytes(4).toString('hex');
const docker = new Dockerode();
const network = `rise-test-${runId}`;
const instance = `test-${runId}`;
const images: Record<'v1' | 'v2', string> = { v1: '', v2: '' };
let caddy: TestCaddy;
let deps: EngineDeps;
let owner: TestUser;
let backupDeps: VolumeBackupDeps;
const backupDir = mkdtempSync(path.join(tmpdir(), 'rise-volume-backups-'));
const backupDirBefore = env.RISE_BACKUP_DIR;

const api = () => apiAs(userCaller(owner));
const volumeOf = (project: string, volume: string) =>
  projectVolumeName(labelKeys('dev.rise', instance), project, volume);

beforeAll(async () => {
  images.v1 = await buildTestAppImage({ tag: 'rise-test-app:v1', version: 'v1' });
  images.v2 = await buildTestAppImage({ tag: 'rise-test-app:v2', version: 'v2' });
  caddy = await startCaddy();
  const { first } = await claimPortBlock();
  deps = testEngineDeps({
    docker,
    runtime: testDockerRuntime(runId, network),
    caddy,
    portRange: [first, first + 99],
    settings: { settleMs: 200, stopGraceMs: 2000 },
  });
  owner = await createUser();
  env.RISE_BACKUP_DIR = backupDir;
  backupDeps = {
    ...(deps.runtime as DockerRuntime).volumeBackupAccess(await buildBusyboxBaseImage(docker)),
    openStore: (destination) => createBackupStore(destinationStoreConfig(destination)),
    archiveKey: backupArchiveKey,
    now: () => new Date(),
  };
}, 180_000);

afterAll(async () => {
  env.RISE_BACKUP_DIR = backupDirBefore;
  rmSync(backupDir, { recursive: true, force: true });
  await caddy?.stop();
  await removeContainersAndNetworks(docker, `rise.test=${runId}`);
}, 60_000);

async function createProject(name: string) {
  await api().project.create({ name, port: TEST_APP_PORT, healthPath: '/health' });
  return getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
}

async function deployVersion(project: { id: string; name: string }, version: 'v1' | 'v2') {
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId: project.id,
    status: 'pushed',
    image: await imageForProject(images[version], project.name, docker),
  });
  await runDeployment(deps, deployment.id);
  return expectHealthy(project.name, deployment.id, version);
}

async function expectHealthy(project: string, deploymentId: string, version: string) {
  expect(await deploymentRepo.findById(deploymentId)).toMatchObject({ status: 'healthy' });
  const answer = await getThroughProxy(caddy.httpPort, `${project}.localhost`);
  expect(answer.body.trim()).toBe(version);
  return deploymentId;
}

/** Runs busybox sh in the deployment's app container. */
const shell = (project: string, deploymentId: string, script: string) =>
  execOrThrow(docker.getContainer(`rise-${project}-${deploymentId}`), {
    cmd: ['/bin/busybox', 'sh', '-c', script],
  });

describe('project volumes on Docker', () => {
  it('keeps a file across a redeploy and a rollback; refuses deletion while mounted; deletion removes the data', {
    timeout: 300_000,
  }, async () => {
    const project = await createProject(`vol-${runId}`);
    const created = await api().volume.create({ project: project.name, name: 'data', mountPath: '/data/' });
    expect(created).toEqual([
      {
        name: 'data',
        mountPath: '/data',
        size: '1Gi',
        backupSchedule: null,
        createdBy: owner.username,
        createdAt: expect.any(Date),
      },
    ]);
    await expect(
      api().volume.create({ project: project.name, name: 'other', mountPath: '/data' }),
    ).rejects.toThrow(`'${project.name}' already mounts volume data at /data: pick another mount path.`);

    const first = await deployVersion(project, 'v1');
    await shell(project.name, first, 'echo "written by v1" > /data/note.txt');
    const volume = await docker.getVolume(volumeOf(project.name, 'data')).inspect();
    expect(volume.Labels).toMatchObject({
      'dev.rise.managed-by': instance,
      'dev.rise.project': project.name,
      'dev.rise.volume': 'data',
      'dev.rise.volume.size': '1Gi',
      'rise.test': runId,
    });

    const second = await deployVersion(project, 'v2');
    expect(second).not.toBe(first);
    expect(await shell(project.name, second, '/bin/busybox cat /data/note.txt')).toBe('written by v1');
    await shell(project.name, second, 'echo "written by v2" >> /data/note.txt');

    const rollback = await api().deployment.rollback({ project: project.name, deployment: first });
    await runDeployment(deps, rollback.id);
    await expectHealthy(project.name, rollback.id, 'v1');
    expect(await shell(project.name, rollback.id, '/bin/busybox cat /data/note.txt')).toBe(
      'written by v1\nwritten by v2',
    );

    await expect(api().volume.delete({ project: project.name, name: 'data' })).rejects.toThrow(
      `Volume data is mounted by deployment ${rollback.id} (healthy) of '${project.name}'. Stop the project first (rise d stop ${project.name}), then delete the volume; its data is deleted with it.`,
    );
    await api().deployment.stop({ project: project.name });
    await stopProject(deps, project.id);
    expect(await api().volume.delete({ project: project.name, name: 'data' })).toEqual([]);
    // What the volume-remove job does.
    await deps.runtime.removeVolume?.(project.name, 'data');
    await expect(docker.getVolume(volumeOf(project.name, 'data')).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('removes the project volumes with the project, and only this installation’s', {
    timeout: 180_000,
  }, async () => {
    const project = await createProject(`vol-del-${runId}`);
    await api().volume.create({ project: project.name, name: 'uploads', mountPath: '/srv/uploads' });
    await api().volume.create({ project: project.name, name: 'cache', mountPath: '/cache', size: '512Mi' });
    const deployment = await deployVersion(project, 'v1');
    expect(
      await shell(project.name, deployment, 'touch /srv/uploads/a /cache/b && ls /srv/uploads /cache'),
    ).toBe('/cache:\nb\n\n/srv/uploads:\na');
    // Another installation's volume of a project of the same name is not Rise's to remove.
    const foreign = `rise-vol.other-${runId}.${project.name}.uploads`;
    await docker.createVolume({
      Name: foreign,
      Labels: {
        'dev.rise.managed-by': `other-${runId}`,
        'dev.rise.project': project.name,
        'dev.rise.volume': 'uploads',
        'rise.test': runId,
      },
    });
    const names = [volumeOf(project.name, 'cache'), volumeOf(project.name, 'uploads')];
    for (const name of names) expect((await docker.getVolume(name).inspect()).Name).toBe(name);

    await api().project.delete({ project: project.name });
    // What the project-delete job does.
    await removeProjectResources(deps, project.name);
    for (const name of names) {
      await expect(docker.getVolume(name).inspect()).rejects.toMatchObject({ statusCode: 404 });
    }
    expect((await docker.getVolume(foreign).inspect()).Name).toBe(foreign);
    expect(await getDb().projectVolume.count({ where: { projectId: project.id } })).toBe(0);
  });

  it('mounts the volumes into the app’s instances only, not a preview group’s', {
    timeout: 180_000,
  }, async () => {
    const project = await createProject(`vol-pre-${runId}`);
    await api().volume.create({ project: project.name, name: 'data', mountPath: '/data' });
    const image = await imageForProject(images.v1, project.name, docker);
    const { digest } = await deps.images.resolve(image, project);
    const instance = (group?: string) =>
      instanceSpecFor(deps, { ...project, group }, { id: newDeploymentId(), image, digest, slot: 'a' });
    expect((await instance('mr/1')).volumes).toBeUndefined();
    expect((await instance()).volumes).toEqual([{ name: 'data', mountPath: '/data', size: '1Gi' }]);
  });

  it('backs a volume up (encrypted, with its manifest), drills it, and restores it into the stopped app', {
    timeout: 300_000,
  }, async () => {
    const project = await createProject(`vol-bk-${runId}`);
    await api().volume.create({ project: project.name, name: 'data', mountPath: '/data' });
    const first = await deployVersion(project, 'v1');
    await shell(
      project.name,
      first,
      'echo "order 1" > /data/orders.csv && mkdir /data/img && echo png > /data/img/a.png',
    );

    const requested = await api().volume.backup({ project: project.name, name: 'data', encrypt: true });
    expect(requested).toMatchObject({
      volume: 'data',
      destination: 'local',
      status: 'pending',
      encrypted: true,
    });
    expect(await runVolumeBackup(backupDeps, requested.id, 'backup')).toEqual({
      id: requested.id,
      status: 'succeeded',
    });
    const [taken] = await api().volume.backups({ project: project.name, name: 'data' });
    expect(taken).toMatchObject({
      id: requested.id,
      status: 'succeeded',
      files: 2,
      error: null,
      drill: null,
    });
    // The archive and its manifest, in the project's local destination.
    const stored = readdirSync(path.join(backupDir, 'projects', project.id, `volumes/${project.name}/data`));
    expect(stored.sort()).toEqual([
      expect.stringMatching(new RegExp(`-${requested.id}\\.tar\\.gz\\.enc$`)),
      expect.stringMatching(new RegExp(`-${requested.id}\\.tar\\.gz\\.enc\\.manifest\\.json$`)),
    ]);

    await api().volume.drill({ project: project.name, backup: requested.id });
    expect(await runVolumeBackup(backupDeps, requested.id, 'drill')).toEqual({
      id: requested.id,
      drill: 'passed',
    });
    const [drilled] = await api().volume.backups({ project: project.name });
    expect(drilled?.drill).toEqual({
      at: expect.any(Date),
      ok: true,
      missing: [],
      extra: [],
      changed: [],
      error: null,
    });
    // The drill used a scratch volume, now gone: only the project's own volume is left.
    expect(await (deps.runtime as DockerRuntime).projectVolumeNames(project.name)).toEqual([
      volumeOf(project.name, 'data'),
    ]);

    await shell(project.name, first, 'echo "order 2" > /data/orders.csv && rm -r /data/img');
    await expect(api().volume.restore({ project: project.name, backup: requested.id })).rejects.toThrow(
      `Stop the project first (rise d stop ${project.name}), then restore the backup into it.`,
    );
    // The job re-checks: a restore queued before the app was started again does not run under it.
    await expect(runVolumeBackup(backupDeps, requested.id, 'restore')).rejects.toThrow(
      `'${project.name}' was started again since the restore of ${requested.id} was queued`,
    );
    expect(await shell(project.name, first, 'cat /data/orders.csv')).toBe('order 2');
    await api().deployment.stop({ project: project.name });
    await stopProject(deps, project.id);
    await api().volume.restore({ project: project.name, backup: requested.id });
    expect(await runVolumeBackup(backupDeps, requested.id, 'restore')).toEqual({
      id: requested.id,
      restored: true,
    });
    await getDb().project.update({ where: { id: project.id }, data: { desiredState: 'running' } });
    const again = await deployVersion(project, 'v2');
    expect(await shell(project.name, again, 'cat /data/orders.csv /data/img/a.png')).toBe('order 1\npng');
  });

  it('backs a volume up on its schedule, keeping the last N scheduled backups and every manual one', {
    timeout: 300_000,
  }, async () => {
    const project = await createProject(`vol-cron-${runId}`);
    await api().volume.create({ project: project.name, name: 'data', mountPath: '/data' });
    const deployment = await deployVersion(project, 'v1');
    const volume = await getDb().projectVolume.findFirstOrThrow({ where: { projectId: project.id } });

    const scheduled = await api().volume.schedule({
      project: project.name,
      name: 'data',
      cron: '0 3 * * *',
      keep: 2,
    });
    expect(scheduled.backupSchedule).toEqual({
      cron: '0 3 * * *',
      destination: 'local',
      keep: 2,
      encrypt: false,
    });
    expect(await cronScheduleKeys(volumeBackupJob)).toContain(volume.id);

    const manual = await api().volume.backup({ project: project.name, name: 'data' });
    await runVolumeBackup(backupDeps, manual.id, 'backup');
    const runs: string[] = [];
    for (const round of [1, 2, 3]) {
      await shell(project.name, deployment, `echo ${round} > /data/round.txt`);
      const result = await runScheduledVolumeBackup(backupDeps, volume.id);
      expect(result).toMatchObject({ status: 'succeeded', deleted: round === 3 ? [runs[0]] : [] });
      runs.push((result as { id: string }).id);
    }
    const left = await api().volume.backups({ project: project.name, name: 'data' });
    expect(left.map((backup) => backup.id).sort()).toEqual([manual.id, runs[1], runs[2]].sort());
    // The deleted backup's archive and manifest are gone from the destination too.
    const stored = readdirSync(path.join(backupDir, 'projects', project.id, `volumes/${project.name}/data`));
    expect(stored.filter((file) => file.includes(runs[0]!))).toEqual([]);
    expect(stored).toHaveLength(6);

    // Newer runs that failed never take the last good backup with them.
    await getDb().projectVolume.update({ where: { id: volume.id }, data: { backupKeep: 1 } });
    const failed = await runScheduledVolumeBackup(
      { ...backupDeps, volumeName: () => `rise-test-missing-${runId}` },
      volume.id,
    );
    expect(failed).toMatchObject({ status: 'failed', deleted: [runs[1]] });
    const kept = await api().volume.backups({ project: project.name, name: 'data' });
    expect(kept.map((backup) => [backup.id, backup.status]).sort()).toEqual(
      [
        [manual.id, 'succeeded'],
        [runs[2], 'succeeded'],
        [(failed as { id: string }).id, 'failed'],
      ].sort(),
    );

    const off = await api().volume.schedule({ project: project.name, name: 'data', cron: null });
    expect(off.backupSchedule).toBeNull();
    expect(await cronScheduleKeys(volumeBackupJob)).not.toContain(volume.id);
    expect(await runScheduledVolumeBackup(backupDeps, volume.id)).toEqual({ skipped: volume.id });

    // Deleting the volume stops its schedule; its backups stay.
    await api().volume.schedule({ project: project.name, name: 'data', cron: '0 4 * * *' });
    expect(await cronScheduleKeys(volumeBackupJob)).toContain(volume.id);
    await api().deployment.stop({ project: project.name });
    await stopProject(deps, project.id);
    await api().volume.delete({ project: project.name, name: 'data' });
    expect(await cronScheduleKeys(volumeBackupJob)).not.toContain(volume.id);
    expect(await api().volume.backups({ project: project.name })).toHaveLength(3);
  });
});
