import { getDb, isUniqueViolation, type Tx } from '@/server/db';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { projectRepo } from '../projects/project.repo';
import { deploymentRepo } from './deployment.repo';
import type { EngineRepos } from './engine-repos';
import {
  lockProjectRow,
  ROUTE_TRANSACTION_OPTIONS,
  readAllUnits,
  readGroupUnit,
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

const EXPIRABLE = ['pending', 'pushed', ...LIVE] as const;

/** Makes `deploymentId` the active deployment of its group; false when the group is gone. */
async function setGroupActive(tx: Tx, projectId: string, group: string, deploymentId: string) {
  if (group === DEFAULT_GROUP) {
    await projectRepo.setActiveDeployment(projectId, deploymentId, tx);
    return true;
  }
  const updated = await tx.deploymentGroup.updateMany({
    where: { projectId, name: group },
    data: { activeDeploymentId: deploymentId },
  });
  return updated.count === 1;
}

const groupSlots = (id: string, group: string) => ({ projectId: id, name: group });

/** The deploy engine's repositories on PostgreSQL (what `EngineDeps.repos` is in the worker). */
export const deploymentEngineRepos: EngineRepos = {
  deployments: {
    findById: deploymentRepo.findById,
    listByStatus: deploymentRepo.listByStatus,
    listExpired: (now) => deploymentRepo.listExpired(now, EXPIRABLE),
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
        const deployment = await tx.deployment.findUnique({
          where: { id: deploymentId },
          select: { group: true },
        });
        if (!deployment) return false;
        if (!(await deploymentRepo.transition(deploymentId, 'deploying', 'healthy', {}, tx))) return false;
        // A group stopped meanwhile: nothing is written (the transaction rolls back).
        if (!(await setGroupActive(tx, projectId, deployment.group, deploymentId))) {
          throw new GroupGoneError(deployment.group);
        }
        if (previousId) {
          await deploymentRepo.transition(
            previousId,
            LIVE,
            'superseded',
            { terminationReason: 'superseded' },
            tx,
          );
        }
        if (moveTraffic) await moveTraffic(await readRouteSource(tx, projectId, deployment.group));
        return true;
      }, ROUTE_TRANSACTION_OPTIONS),
  },
  projects: {
    findForDeploy: (id, group = DEFAULT_GROUP) => readGroupUnit(getDb(), id, group),
    listForReconcile: (runtime) => readAllUnits(runtime),
    listNames: async () =>
      new Set((await getDb().project.findMany({ select: { name: true } })).map((project) => project.name)),
    setActiveDeployment: async (id, deploymentId, group = DEFAULT_GROUP) => {
      if (group === DEFAULT_GROUP) await projectRepo.setActiveDeployment(id, deploymentId);
      else
        await getDb().deploymentGroup.updateMany({
          where: groupSlots(id, group),
          data: { activeDeploymentId: deploymentId },
        });
    },
    deleteGroup: async (id, group) => {
      await getDb().deploymentGroup.deleteMany({ where: groupSlots(id, group) });
    },
    usedSlotPorts: async () => {
      const groups = await getDb().deploymentGroup.findMany({
        where: { OR: [{ slotPortA: { not: null } }, { slotPortB: { not: null } }] },
        select: { slotPortA: true, slotPortB: true },
      });
      const used = await projectRepo.usedSlotPorts();
      for (const { port } of await getDb().replicaPort.findMany({ select: { port: true } })) used.add(port);
      for (const group of groups) {
        for (const port of [group.slotPortA, group.slotPortB]) if (port !== null) used.add(port);
      }
      return used;
    },
    setSlotPorts: (id, ports, group = DEFAULT_GROUP) =>
      unlessTaken(async () => {
        if (group === DEFAULT_GROUP) return projectRepo.setSlotPorts(id, ports);
        const updated = await getDb().deploymentGroup.updateMany({
          where: { ...groupSlots(id, group), slotPortA: null },
          data: { slotPortA: ports[0], slotPortB: ports[1] },
        });
        return updated.count === 1;
      }),
    replaceSlotPort: (id, slot, from, to, group = DEFAULT_GROUP) =>
      unlessTaken(async () => {
        if (group === DEFAULT_GROUP) return projectRepo.replaceSlotPort(id, slot, from, to);
        const updated = await getDb().deploymentGroup.updateMany({
          where: { ...groupSlots(id, group), ...(slot === 'a' ? { slotPortA: from } : { slotPortB: from }) },
          data: slot === 'a' ? { slotPortA: to } : { slotPortB: to },
        });
        return updated.count === 1;
      }),
    addReplicaPort: (id, slot, replica, port) =>
      unlessTaken(async () => {
        await getDb().replicaPort.create({ data: { projectId: id, slot, replica, port } });
        return true;
      }),
    replaceReplicaPort: (id, slot, replica, from, to) =>
      unlessTaken(async () => {
        const updated = await getDb().replicaPort.updateMany({
          where: { projectId: id, slot, replica, port: from },
          data: { port: to },
        });
        return updated.count === 1;
      }),
  },
  routeState: routeStateRepo,
};

/** The deployment's group was stopped while it deployed: it cannot become the group's active one. */
export class GroupGoneError extends Error {
  constructor(group: string) {
    super(`group ${group} was stopped meanwhile`);
    this.name = 'GroupGoneError';
  }
}
