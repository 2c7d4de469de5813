import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { createUser, uniqueName } from '../../../../test/fixtures';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';

async function newDeployment() {
  const owner = await createUser();
  const project = await getDb().project.create({ data: { name: uniqueName('app'), ownerUserId: owner.id } });
  return deploymentRepo.create({ id: newDeploymentId(), projectId: project.id, status: 'pending' });
}

describe('deployment status transitions are guarded in SQL', () => {
  it('moves only from the expected status and stamps times', async () => {
    const deployment = await newDeployment();
    expect(await deploymentRepo.transition(deployment.id, 'pending', 'building')).toBe(true);
    expect(await deploymentRepo.transition(deployment.id, 'pending', 'building')).toBe(false);
    const row = await deploymentRepo.findById(deployment.id);
    expect(row?.status).toBe('building');
    expect(row?.startedAt).toBeInstanceOf(Date);
  });

  it('lets exactly one of many concurrent movers win', async () => {
    const deployment = await newDeployment();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => deploymentRepo.transition(deployment.id, 'pending', 'cancelled')),
    );
    expect(attempts.filter(Boolean)).toHaveLength(1);
  });

  it('records the error and reason of a failure', async () => {
    const deployment = await newDeployment();
    const moved = await deploymentRepo.transition(deployment.id, ['pending', 'building'], 'failed', {
      error: 'health check on / returned 500',
      terminationReason: 'failed',
    });
    expect(moved).toBe(true);
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({
      status: 'failed',
      error: 'health check on / returned 500',
      terminationReason: 'failed',
    });
  });
});
