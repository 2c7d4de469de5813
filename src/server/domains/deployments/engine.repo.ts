import { getDb, isUniqueViolation } from '@/server/db';
import { projectRepo } from '../projects/project.repo';
import { deploymentRepo } from './deployment.repo';
import type { EngineRepos } from './engine-repos';
import {
  lockProjectRow,
  ROUTE_TRANSACTION_OPTIONS,
  readRouteSource,
  routeStateRepo,
} from './route-state.repo';
import { LIVE } from './state-machine';

/** A unique index refusing a port another project holds means "not given", as for a lost race. */
async function unlessTaken(write: () => Promise<boolean>): Promise<boolean> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The deploy engine's repositories on PostgreSQL (what `EngineDeps.repos` is in the worker). */
export const deploymentEngineRepos: EngineRepos = {
  deployments: {
    findById: deploymentRepo.findById,
    listByStatus: deploymentRepo.listByStatus,
    findOwners: deploymentRepo.findOwners,
    transition: (id, from, to, data) => deploymentRepo.transition(id, from, to, data),
    update: async (id, data) => {
      await deploymentRepo.update(id, data);
    },
    addEvent: async (deploymentId, message, level) => {
      await deploymentRepo.addEvent(deploymentId, message, level);
    },
    activate: (deploymentId, projectId, previousId, moveTraffic) =>
      getDb().$transaction(async (tx) => {
        await lockProjectRow(tx, projectId);
        if (!(await deploymentRepo.transition(deploymentId, 'deploying', 'healthy', {}, tx))) return false;
        await projectRepo.setActiveDeployment(projectId, deploymentId, tx);
        if (previousId) {
          await deploymentRepo.transition(
            previousId,
            LIVE,
            'superseded',
            { terminationReason: 'superseded' },
            tx,
          );
        }
        if (moveTraffic) await moveTraffic(await readRouteSource(tx, projectId));
        return true;
      }, ROUTE_TRANSACTION_OPTIONS),
  },
  projects: {
    findForDeploy: projectRepo.findForDeploy,
    listForReconcile: projectRepo.listForReconcile,
    listNames: async () =>
      new Set((await getDb().project.findMany({ select: { name: true } })).map((project) => project.name)),
    setActiveDeployment: async (id, deploymentId) => {
      await projectRepo.setActiveDeployment(id, deploymentId);
    },
    usedSlotPorts: projectRepo.usedSlotPorts,
    setSlotPorts: (id, ports) => unlessTaken(() => projectRepo.setSlotPorts(id, ports)),
    replaceSlotPort: (id, slot, from, to) =>
      unlessTaken(() => projectRepo.replaceSlotPort(id, slot, from, to)),
  },
  routeState: routeStateRepo,
};
