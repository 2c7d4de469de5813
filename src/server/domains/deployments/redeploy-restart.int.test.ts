import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../../test/fixtures';
import { newDeploymentId } from './deployment-id';

const DIGEST = `sha256:${'c'.repeat(64)}`;

/** A project of a new user whose deployment `image@DIGEST` ran and is active (as the engine leaves it). */
async function runningProject() {
  const api = apiAs(userCaller(await createUser()));
  const project = uniqueName('redeploy');
  await api.project.create({ name: project });
  const row = await getDb().project.findUniqueOrThrow({ where: { name: project } });
  const ran = await getDb().deployment.create({
    data: {
      id: newDeploymentId(),
      projectId: row.id,
      status: 'healthy',
      image: `rise-test/${project}:v1`,
      imageDigest: DIGEST,
      healthyAt: new Date(),
      slot: 'a',
    },
  });
  await getDb().project.update({
    where: { id: row.id },
    data: { activeDeploymentId: ran.id, desiredState: 'running' },
  });
  return { api, project, projectId: row.id, ran };
}

async function deployJobsFor(deploymentId: string) {
  const rows = await getDb().$queryRaw<
    { count: bigint }[]
  >`SELECT count(*) FROM pgboss.job WHERE name = 'deploy' AND data->>'deploymentId' = ${deploymentId}`;
  return Number(rows[0]!.count);
}

const auditActions = async (projectId: string) =>
  (await getDb().auditEvent.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } })).map(
    (event) => event.action,
  );

describe('deployment.redeploy and deployment.restart', () => {
  it('a project that never ran: both refuse, naming the commands that deploy it', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('fresh');
    await api.project.create({ name: project });
    // One at a time: a second call made before the first is awaited would reject unobserved.
    for (const attempt of [
      () => api.deployment.redeploy({ project }),
      () => api.deployment.restart({ project }),
    ]) {
      const error = await rejectionOf(attempt(), TRPCError);
      expect(error.code).toBe('PRECONDITION_FAILED');
      expect(error.message).toBe(
        `Project '${project}' has never run; deploy it first: \`rise d c ${project}\` in a directory with a Dockerfile, or \`rise d c ${project} --image <ref>\`.`,
      );
    }
    // Start, which the dashboard used to offer here, says the same.
    const start = await rejectionOf(api.deployment.start({ project }), TRPCError);
    expect(start.message).toContain(`rise d c ${project} --image <ref>`);
    expect(await getDb().deployment.count({ where: { project: { name: project } } })).toBe(0);
  });

  it('redeploy queues the active version again, pinned to its digest, and is audited', async () => {
    const { api, project, projectId, ran } = await runningProject();
    const redeployed = await api.deployment.redeploy({ project });
    expect(redeployed).toMatchObject({
      status: 'pushed',
      image: ran.image,
      imageDigest: DIGEST,
      rolledBackFrom: null,
      active: false,
    });
    expect(redeployed.id).not.toBe(ran.id);
    expect(await deployJobsFor(redeployed.id)).toBe(1);
    expect(await auditActions(projectId)).toContain('deployment.redeploy');
  });

  it('a git-built version run again keeps its commit: rollback says rollback, redeploy says manual', async () => {
    const { api, project, projectId, ran } = await runningProject();
    const commit = {
      gitRef: 'main',
      commitSha: 'a'.repeat(40),
      commitMessage: 'Fix it',
      commitAuthor: 'Ada',
    };
    await getDb().deployment.update({ where: { id: ran.id }, data: { trigger: 'git_push', ...commit } });
    const shownCommit = { ref: 'main', sha: 'a'.repeat(40), message: 'Fix it', author: 'Ada' };
    expect(await api.deployment.get({ project, deployment: ran.id })).toMatchObject({
      trigger: 'git-push',
      commit: shownCommit,
    });
    const redeployed = await api.deployment.redeploy({ project });
    expect(redeployed).toMatchObject({ trigger: 'manual', commit: shownCommit });
    const next = await getDb().deployment.create({
      data: {
        id: newDeploymentId(),
        projectId,
        status: 'healthy',
        image: `rise-test/${project}:v2`,
        imageDigest: `sha256:${'d'.repeat(64)}`,
        healthyAt: new Date(),
        slot: 'b',
      },
    });
    await getDb().project.update({ where: { id: projectId }, data: { activeDeploymentId: next.id } });
    const rolledBack = await api.deployment.rollback({ project, deployment: ran.id });
    expect(rolledBack).toMatchObject({ trigger: 'rollback', commit: shownCommit, rolledBackFrom: ran.id });
    const fromCli = await api.deployment.create({ project, image: `rise-test/${project}:v3` });
    expect(fromCli).toMatchObject({ trigger: 'cli', commit: null });
  });

  it('restart queues the same digest as a new (blue/green) deployment, and is audited', async () => {
    const { api, project, projectId, ran } = await runningProject();
    const restarted = await api.deployment.restart({ project });
    expect(restarted).toMatchObject({ status: 'pushed', image: ran.image, imageDigest: DIGEST });
    expect(await deployJobsFor(restarted.id)).toBe(1);
    expect(await auditActions(projectId)).toContain('deployment.restart');
  });

  it('a stopped project: restart refuses (nothing runs); redeploy starts the last version that ran', async () => {
    const { api, project, projectId, ran } = await runningProject();
    await getDb().project.update({
      where: { id: projectId },
      data: { activeDeploymentId: null, desiredState: 'stopped' },
    });
    await getDb().deployment.update({ where: { id: ran.id }, data: { status: 'stopped' } });
    const error = await rejectionOf(api.deployment.restart({ project }), TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(
      `Project '${project}' is stopped: there is nothing to restart. Start it or redeploy it instead.`,
    );
    const redeployed = await api.deployment.redeploy({ project });
    expect(redeployed).toMatchObject({ status: 'pushed', imageDigest: DIGEST });
    expect((await api.project.get({ project })).desiredState).toBe('running');
  });

  it('a running project whose latest deployment failed (none active): restart refuses, redeploy works', async () => {
    const { api, project, projectId } = await runningProject();
    await getDb().project.update({ where: { id: projectId }, data: { activeDeploymentId: null } });
    const error = await rejectionOf(api.deployment.restart({ project }), TRPCError);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(
      `Project '${project}' has no version running (its latest deployment is in progress or failed): there is nothing to restart. Redeploy it instead.`,
    );
    expect(await api.deployment.redeploy({ project })).toMatchObject({
      status: 'pushed',
      imageDigest: DIGEST,
    });
  });

  it("an outsider may not redeploy or restart someone else's project", async () => {
    const { project } = await runningProject();
    const stranger = apiAs(userCaller(await createUser()));
    for (const attempt of [
      stranger.deployment.redeploy({ project }),
      stranger.deployment.restart({ project }),
    ]) {
      expect((await rejectionOf(attempt, TRPCError)).code).toBe('NOT_FOUND');
    }
  });
});

describe('deployment.checkImage', () => {
  it("answers what deployment.create would refuse, in the server's words, and null for a good reference", async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('check');
    await api.project.create({ name: project });

    const malformed = await api.deployment.checkImage({ project, image: 'Acme/App:1.0' });
    const created = await rejectionOf(api.deployment.create({ project, image: 'Acme/App:1.0' }), TRPCError);
    expect(malformed.problem).toBeTruthy();
    // The input error lists zod's issues as JSON: the same message is one of them.
    expect(created.message).toContain(JSON.stringify(malformed.problem));

    const theirs = `${env.RISE_REGISTRY_HOST}/someone-else/app:1`;
    const forbidden = await api.deployment.checkImage({ project, image: theirs });
    expect(forbidden.problem).toContain(`project '${project}' may only run images from its own repository`);

    expect((await api.deployment.checkImage({ project, image: 'ghcr.io/acme/app:1.2' })).problem).toBeNull();
    expect(
      (await api.deployment.checkImage({ project, image: `rise-test/${project}:v1` })).problem,
    ).toBeNull();
  });
});
