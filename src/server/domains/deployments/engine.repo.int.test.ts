import { getDb } from '@/server/db';
import { apiAs, createUser, userCaller } from '../../../../test/fixtures';
import { claimPortBlock } from '../../../../test/port-blocks';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import { deploymentEngineRepos } from './engine.repo';
import { engineReposContract } from './engine-repos-contract';

let ports: { next: number; last: number } | null = null;

engineReposContract('PostgreSQL', async () => {
  if (!ports) {
    const block = await claimPortBlock();
    ports = { next: block.first, last: block.last };
  }
  const block = ports;
  const take = () => {
    if (block.next > block.last) throw new Error('the test used up its port block');
    return block.next++;
  };
  const owner = await createUser();
  return {
    repos: deploymentEngineRepos,
    addProject: async ({ name, ...fields }) => {
      await apiAs(userCaller(owner)).project.create({ name });
      return getDb().project.update({ where: { name }, data: fields });
    },
    addDeployment: async ({ projectId, status, image, slot, group, expiresAt }) => {
      const created = await deploymentRepo.create({
        id: newDeploymentId(),
        projectId,
        status: 'pending',
        image,
        group,
        expiresAt,
      });
      return getDb().deployment.update({ where: { id: created.id }, data: { status, slot } });
    },
    addGroup: async (projectId, name, host) => {
      await getDb().deploymentGroup.create({ data: { projectId, name, host } });
    },
    freePorts: async () => [take(), take(), take(), take()],
  };
});
