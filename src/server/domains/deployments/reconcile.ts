import { routeKey } from '@/server/proxy/types';
import { type InstanceStatus, isPrimary } from '@/server/runtime/types';
import { groupKey, groupSlug } from '@/shared/deployment-groups';
import type { EngineDeps } from './engine-deps';
import { observeRuntimeCrashes, restartCrashed, runningAgain } from './reconcile-crashes';
import { syncRoute } from './route-sync';
import { desiredRoute, routable } from './routing';
import { IN_PROGRESS, LIVE } from './state-machine';

export type ReconcileReport = {
  routesUpserted: number;
  routesRemoved: number;
  orphansRemoved: number;
  /** Per-project runtime resources (Docker networks) of deleted projects. */
  projectResourcesRemoved: number;
  restarted: number;
  recovered: number;
  /** Apps that ran stable after crashes: their restart count was reset, a crash loop ended. */
  stabilised: number;
  stuckFailed: number;
  /** The earliest crash restart due after this pass (the worker wakes up for it), or null. */
  nextRestartAt: Date | null;
};

const RUNNING_STATES: readonly InstanceStatus['state'][] = ['running', 'restarting', 'created'];

/**
 * Makes the runtime and the proxy match the database: routes for every project, no instance that no
 * live or in-progress deployment owns, crashed apps restarted with exponential backoff (reset only by a
 * stable run; see reconcile-crashes.ts), and
 * deployments stuck in progress failed. Safe to run at any time, by any number of workers.
 */
export async function reconcile(
  deps: EngineDeps,
  now = deps.clock.now(),
  /** Only the projects on this runtime (the one in `deps`); default: every project. */
  options: { runtime?: string } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    routesUpserted: 0,
    routesRemoved: 0,
    orphansRemoved: 0,
    projectResourcesRemoved: 0,
    restarted: 0,
    recovered: 0,
    stabilised: 0,
    stuckFailed: 0,
    nextRestartAt: null,
  };
  const { deployments } = deps.repos;
  await deps.runtime.prepare();
  await deps.proxy.prepare();
  const projects = await deps.repos.projects.listForReconcile(options.runtime);

  // Routes: every project (and deployment group) that has been given slots gets one; routes of
  // deleted projects and of stopped or expired groups go. One read of the proxy finds what differs;
  // only those are written, each under its project's row lock from a fresh read (a deploy may have
  // switched it since the list above was read).
  const keyOf = (project: (typeof projects)[number]) => groupKey(project.name, groupSlug(project.group));
  const keys = new Set(projects.map(keyOf));
  const routed = projects.filter((project) => routable(project, deps.settings));
  const desired = routed.map((project) => desiredRoute(project, deps.settings));
  const outdated = deps.proxy.outdatedRoutes
    ? await deps.proxy.outdatedRoutes(desired)
    : new Set(desired.map(routeKey));
  for (const project of routed) {
    if (!outdated.has(keyOf(project))) continue;
    if (await syncRoute(deps, project.id, project.group)) report.routesUpserted++;
  }
  for (const key of await deps.proxy.listRoutes()) {
    if (!keys.has(key)) {
      await deps.proxy.removeRoute(key);
      report.routesRemoved++;
    }
  }

  // Stuck deployments: in progress but untouched for too long (a worker died and retries ran out).
  const stuckBefore = new Date(now.getTime() - deps.settings.stuckAfterMs);
  for (const deployment of await deployments.listByStatus([...IN_PROGRESS, 'cancelling'])) {
    if (deployment.updatedAt > stuckBefore) continue;
    const error = `timed out in state ${deployment.status} (no progress for ${Math.round(deps.settings.stuckAfterMs / 1000)} s)`;
    if (
      await deployments.transition(deployment.id, deployment.status, 'failed', {
        error,
        terminationReason: 'expired',
      })
    ) {
      await deployments.addEvent(deployment.id, `Deployment failed: ${error}`, 'error');
      report.stuckFailed++;
    }
  }

  // Instances: remove orphans, restart crashed active ones.
  const instances = await deps.runtime.list();
  const owners = await deployments.findOwners(instances.map((instance) => instance.deploymentId));
  const ownerById = new Map(owners.map((owner) => [owner.id, owner]));
  const activeIds = new Set(projects.map((project) => project.activeDeploymentId).filter(Boolean));
  const removed = new Set<string>();
  for (const instance of instances) {
    // Removing a deployment removes all its instances (every replica of every process) at once.
    if (removed.has(instance.deploymentId)) continue;
    const owner = ownerById.get(instance.deploymentId);
    const wanted =
      owner &&
      ((activeIds.has(owner.id) && LIVE.includes(owner.status)) ||
        owner.status === 'deploying' ||
        owner.status === 'cancelling');
    if (!wanted) {
      // A deploy may have switched this project after the route pass above and not written its route
      // yet: the route must leave the instance before it goes (under the project's row lock, so this
      // waits for a deploy's own write), else requests meet a stopped app.
      // Then, as a deploy does, a pause for the requests the proxy was already sending it.
      if (owner) {
        await syncRoute(deps, owner.projectId, owner.group);
        await deps.clock.sleep(deps.settings.settleMs);
      }
      await deps.runtime.remove(instance.project, instance.deploymentId, {
        graceMs: deps.settings.stopGraceMs,
      });
      removed.add(instance.deploymentId);
      report.orphansRemoved++;
    }
  }

  if (deps.runtime.removeOrphanProjects) {
    // Every project, whatever its runtime: a project on Kubernetes keeps its databases on Docker.
    const removed = await deps.runtime.removeOrphanProjects(() => deps.repos.projects.listNames());
    report.projectResourcesRemoved += removed.length;
  }

  for (const project of projects) {
    const active = project.activeDeployment;
    if (project.desiredState !== 'running' || !active || !LIVE.includes(active.status)) continue;
    // Every instance of the deployment (each replica of each process) counts: the first one down is
    // restarted; the deployment's restart count and backoff are shared by them.
    const ofActive = instances.filter((candidate) => candidate.deploymentId === active.id);
    const primary = ofActive.find(isPrimary);
    if (primary?.runtimeRestarts) await observeRuntimeCrashes(deps, project, active, primary);
    const down = ofActive.find((candidate) => !RUNNING_STATES.includes(candidate.state));
    if (primary && !down) {
      await runningAgain(deps, active, latestStarted(ofActive), now, report);
      continue;
    }
    const crashed = primary ? (down ?? null) : null;
    const due =
      active.nextRestartAt && active.nextRestartAt > now
        ? active.nextRestartAt
        : await restartCrashed(deps, project, active, crashed, now, report);
    if (due && (!report.nextRestartAt || due < report.nextRestartAt)) report.nextRestartAt = due;
  }
  return report;
}

/** The instance that started last: a stable run counts from there (a replica restarted since is not stable). */
function latestStarted(instances: InstanceStatus[]): InstanceStatus {
  return instances.reduce((latest, instance) =>
    (instance.startedAt?.getTime() ?? 0) > (latest.startedAt?.getTime() ?? 0) ? instance : latest,
  );
}
