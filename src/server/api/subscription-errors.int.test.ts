import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../test/fixtures';

describe('errors thrown inside a subscription stream', () => {
  it('reach the client with their own code, not INTERNAL_SERVER_ERROR', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('logs');
    const created = await api.project.create({ name: project });
    const deployment = newDeploymentId();
    await getDb().deployment.create({
      data: {
        id: deployment,
        projectId: (await getDb().project.findUniqueOrThrow({ where: { name: created.name } })).id,
        status: 'failed',
      },
    });

    // Runtime logs of a deployment that never got a container: the Docker runtime says NOT_FOUND.
    const stream = await api.deployment.logs({ project, deployment, source: 'runtime' });
    const error = await rejectionOf(
      (async () => {
        for await (const _ of stream as AsyncIterable<unknown>);
      })(),
      TRPCError,
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/no such container/);
  });
});
