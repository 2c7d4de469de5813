import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import type { DeploymentStatus } from '@/generated/prisma/enums';
import { getDb } from '@/server/db';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { apiAs, createUser, uniqueName, userCaller } from '../../../../test/fixtures';
import { imageRetentionDeps } from '../image-retention-deps';
import { withProjectLock } from '../project-lock';
import { runCleanupWith } from './cleanup.handler';

// Image retention has its own test (disk-hygiene/image-retention.int.test.ts): here it runs over no project.
const runCleanup = () =>
  runCleanupWith({ ...imageRetentionDeps(new Dockerode()), withProjectLock, projectIds: [] });

const DAY_MS = 24 * 60 * 60 * 1000;

/** A deployment with two build log lines, an info event and (when failed) its error event. */
async function deployment(projectId: string, status: DeploymentStatus, finishedDaysAgo: number | null) {
  const id = newDeploymentId();
  const finishedAt = finishedDaysAgo === null ? null : new Date(Date.now() - finishedDaysAgo * DAY_MS);
  await getDb().deployment.create({
    data: {
      id,
      projectId,
      status,
      finishedAt,
      createdAt: new Date(Date.now() - 60 * DAY_MS),
      error: status === 'failed' ? "Build failed at step 'build': exit 3" : null,
    },
  });
  await getDb().deploymentEvent.createMany({
    data: [
      { deploymentId: id, level: 'info', message: 'Building on the server from git' },
      { deploymentId: id, level: 'build', message: 'Step 1/2 : FROM busybox' },
      { deploymentId: id, level: 'build', message: 'Step 2/2 : RUN exit 3' },
      ...(status === 'failed'
        ? [{ deploymentId: id, level: 'error', message: "Build failed at step 'build': exit 3" }]
        : []),
    ],
  });
  return id;
}

const levels = async (deploymentId: string) =>
  (await getDb().deploymentEvent.findMany({ where: { deploymentId }, orderBy: { id: 'asc' } })).map(
    (event) => event.level,
  );

describe('cleanup: build log retention', () => {
  it('deletes the build output of deployments finished more than RISE_BUILD_LOG_RETENTION_DAYS ago, keeping them and their other events', async () => {
    const api = apiAs(userCaller(await createUser()));
    const name = uniqueName('retention');
    await api.project.create({ name });
    const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name } });
    const days = env.RISE_BUILD_LOG_RETENTION_DAYS;
    const oldFailed = await deployment(projectId, 'failed', days + 1);
    const oldSuperseded = await deployment(projectId, 'superseded', days + 5);
    const recentlyFinished = await deployment(projectId, 'superseded', days - 1);
    // Created long ago and still serving: not finished, so its build log stays.
    const running = await deployment(projectId, 'healthy', null);

    const result = await runCleanup();
    expect(result.buildLogLines).toBe(4);

    expect(await levels(oldFailed)).toEqual(['info', 'error']);
    expect(await levels(oldSuperseded)).toEqual(['info']);
    expect(await levels(recentlyFinished)).toEqual(['info', 'build', 'build']);
    expect(await levels(running)).toEqual(['info', 'build', 'build']);
    const kept = await getDb().deployment.findUniqueOrThrow({ where: { id: oldFailed } });
    expect(kept.status).toBe('failed');
    expect(kept.error).toBe("Build failed at step 'build': exit 3");

    expect((await runCleanup()).buildLogLines).toBe(0);
  });
});

describe('cleanup: deployment event retention', () => {
  it('deletes every event of deployments finished more than RISE_DEPLOYMENT_EVENT_RETENTION_DAYS ago, keeping the deployments and recent events', async () => {
    const api = apiAs(userCaller(await createUser()));
    const name = uniqueName('events');
    await api.project.create({ name });
    const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name } });
    const days = env.RISE_DEPLOYMENT_EVENT_RETENTION_DAYS;
    const old = await deployment(projectId, 'failed', days + 1);
    const recent = await deployment(projectId, 'superseded', days - 1);
    const running = await deployment(projectId, 'healthy', null);

    const result = await runCleanup();
    // The old deployment's info and error events (its build lines went first, as build log lines).
    expect(result.deploymentEvents).toBe(2);
    expect(await levels(old)).toEqual([]);
    expect((await getDb().deployment.findUniqueOrThrow({ where: { id: old } })).error).toBe(
      "Build failed at step 'build': exit 3",
    );
    expect(await levels(running)).toEqual(['info', 'build', 'build']);
    // Past build log retention but within event retention: only the build output went.
    expect(await levels(recent)).toEqual(
      days - 1 > env.RISE_BUILD_LOG_RETENTION_DAYS ? ['info'] : ['info', 'build', 'build'],
    );
    expect((await runCleanup()).deploymentEvents).toBe(0);
  });
});
