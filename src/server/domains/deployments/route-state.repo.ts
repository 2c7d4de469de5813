import { getDb, type Tx } from '@/server/db';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import type { EngineProject, RouteSource, RouteStateRepo } from './engine-repos';

const verifiedDomains = {
  where: { verifiedAt: { not: null } },
  select: { hostname: true, verifiedAt: true },
} as const;

const replicaPortsSelect = { select: { slot: true, replica: true, port: true } } as const;

/** A transaction that writes a route lasts as long as the proxy write: long enough under a loaded host. */
export const ROUTE_TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

/** Takes the project's row lock for the rest of `tx`: route writers take turns (see RouteStateRepo). */
export async function lockProjectRow(tx: Tx, projectId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM projects WHERE id = ${projectId} FOR UPDATE`;
}

type ProjectRow = NonNullable<Awaited<ReturnType<typeof findProject>>>;
type GroupRow = ProjectRow['deploymentGroups'][number];

function findProject(db: Tx, projectId: string, group?: string) {
  return db.project.findUnique({
    where: { id: projectId },
    include: {
      activeDeployment: true,
      domains: verifiedDomains,
      replicaPorts: replicaPortsSelect,
      deploymentGroups: {
        where: group === undefined ? {} : { name: group },
        include: { activeDeployment: true },
      },
    },
  });
}

/** The default group of a project: the project row itself. */
function defaultUnit({ deploymentGroups: _groups, ...project }: ProjectRow): EngineProject {
  return { ...project, group: DEFAULT_GROUP, groupHost: null };
}

/** A preview group: the project's settings with the group's active deployment, ports and host. */
function groupUnit({ deploymentGroups: _groups, ...project }: ProjectRow, group: GroupRow): EngineProject {
  return {
    ...project,
    group: group.name,
    groupHost: group.host,
    // A group runs until it is stopped or expires, both of which remove it.
    desiredState: 'running',
    domains: [],
    // A preview runs one instance of each process: its replicas are the production app's.
    replicas: 1,
    replicaPorts: [],
    slotPortA: group.slotPortA,
    slotPortB: group.slotPortB,
    activeDeploymentId: group.activeDeploymentId,
    activeDeployment: group.activeDeployment,
  };
}

/** Every group of a project: the default one first. */
export function unitsOf(project: ProjectRow): EngineProject[] {
  return [defaultUnit(project), ...project.deploymentGroups.map((group) => groupUnit(project, group))];
}

/** The project's `group`, or null when the project or the group does not exist. */
export async function readGroupUnit(db: Tx, projectId: string, group: string): Promise<EngineProject | null> {
  if (group === DEFAULT_GROUP) {
    const project = await findProject(db, projectId, DEFAULT_GROUP);
    return project ? defaultUnit(project) : null;
  }
  const project = await findProject(db, projectId, group);
  const row = project?.deploymentGroups[0];
  return project && row ? groupUnit(project, row) : null;
}

/** Every group of every project (of those on `runtime`). */
export async function readAllUnits(runtime?: string): Promise<EngineProject[]> {
  const projects = await getDb().project.findMany({
    where: runtime ? { runtime } : {},
    include: {
      activeDeployment: true,
      domains: verifiedDomains,
      replicaPorts: replicaPortsSelect,
      deploymentGroups: { include: { activeDeployment: true } },
    },
  });
  return projects.flatMap(unitsOf);
}

/** What the route of the project's `group` is computed from, as `tx` sees it; null when it is gone. */
export async function readRouteSource(
  tx: Tx,
  projectId: string,
  group: string = DEFAULT_GROUP,
): Promise<RouteSource | null> {
  const unit = await readGroupUnit(tx, projectId, group);
  if (!unit) return null;
  const active = unit.activeDeployment;
  return {
    ...unit,
    activeDeployment: active
      ? { id: active.id, slot: active.slot, status: active.status, webReplicas: active.webReplicas }
      : null,
  };
}

export const routeStateRepo: RouteStateRepo = {
  withLockedProject: (projectId, work, group) =>
    getDb().$transaction(async (tx) => {
      await lockProjectRow(tx, projectId);
      return work(await readRouteSource(tx, projectId, group));
    }, ROUTE_TRANSACTION_OPTIONS),
};
