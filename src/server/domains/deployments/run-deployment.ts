import { recordDeployment, timeDeployPhase } from '@/server/metrics/record-metrics';
import type { ProjectRoute } from '@/server/proxy/types';
import type { InstanceSpec } from '@/server/runtime/types';
import { DEFAULT_GROUP, groupSlug } from '@/shared/deployment-groups';
import { RELEASE_DONE, ROLLBACK_SKIPS_RELEASE, runDeployCommand } from './deploy-command';
import { DEPLOYMENT_DONE, TRAFFIC_NOT_MOVED } from './deployment-logs';
import type { EngineDeps } from './engine-deps';
import type { ReplicaPortRow } from './engine-repos';
import { otherProcessSpecs, webReplicasWanted } from './process-specs';
import { type ProcessStart, processStaysUp } from './process-start';
import { ensureReplicaPorts, replicaPortsOf } from './replica-ports';
import { writeRoute } from './route-sync';
import { otherSlot } from './routing';
import { ensureSlotPorts, slotHostPorts, startOnFreePort } from './slot-ports';
import { isTerminal } from './state-machine';

/** How often the health wait looks whether the deployment was set to `cancelling`. */
export const CANCEL_POLL_MS = 1000;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The event written once the proxy sends every new request to the new version. */
export const TRAFFIC_SWITCHED = (slot: 'a' | 'b') => `Traffic switched to the new version (slot ${slot})`;

/**
 * Takes one deployment from `pushed` to `healthy` with zero downtime: start the new version in the
 * project's free slot, wait until Rise's own health check passes, make it active, switch the route to
 * its slot (the one moment traffic moves), then remove the old instance. Idempotent: a retry after a
 * crash resumes from the database state.
 * Never throws for a deployment problem; the outcome is recorded on the deployment.
 */
export async function runDeployment(
  deps: EngineDeps,
  deploymentId: string,
  signal?: AbortSignal,
): Promise<void> {
  const { deployments, projects } = deps.repos;
  const deployment = await deployments.findById(deploymentId);
  if (!deployment || isTerminal(deployment.status)) return;
  const event = (text: string, level: 'info' | 'warn' | 'error' = 'info') =>
    deployments.addEvent(deploymentId, text, level);

  if (deployment.status === 'cancelling') return finishCancel(deps, deploymentId, deployment.project.name);
  if (
    deployment.status === 'pushed' &&
    !(await deployments.transition(deploymentId, 'pushed', 'deploying'))
  ) {
    return runDeployment(deps, deploymentId, signal); // someone moved it meanwhile: start over from the new state
  }
  if (deployment.status !== 'pushed' && deployment.status !== 'deploying') return;

  // Only the writer of the transition records it: a deployment someone else ended (the reconciler,
  // or a deletion of its project) keeps the story it has.
  const fail = async (error: string) => {
    if (
      await deployments.transition(deploymentId, ['deploying', 'cancelling'], 'failed', {
        error,
        terminationReason: 'failed',
      })
    ) {
      recordDeployment('failed');
      await event(`Deployment failed: ${error}`, 'error');
    }
  };

  try {
    const found = await projects.findForDeploy(deployment.projectId, deployment.group);
    if (!found) {
      return fail(
        deployment.group === DEFAULT_GROUP
          ? 'the project no longer exists'
          : `group ${deployment.group} no longer exists (it was stopped or expired)`,
      );
    }
    let project = await ensureSlotPorts(found, deps);
    if (!deployment.image) return fail('the deployment has no image to run');

    let digest = deployment.imageDigest;
    if (!digest) {
      await event(`Resolving ${deployment.image}`);
      const image = deployment.image;
      digest = (await timeDeployPhase('resolve', () => deps.images.resolve(image, project))).digest;
      await deployments.update(deploymentId, { imageDigest: digest });
    }

    const previous =
      project.activeDeployment && project.activeDeployment.id !== deploymentId
        ? project.activeDeployment
        : null;
    const slot = deployment.slot ?? (previous?.slot ? otherSlot(previous.slot) : 'a');
    await deployments.update(deploymentId, { slot });
    const webReplicas = webReplicasWanted(project);
    project = await ensureReplicaPorts(project, slot, webReplicas, deps);
    let spec = await instanceSpecFor(deps, project, {
      id: deploymentId,
      image: deployment.image,
      digest,
      slot,
    });

    // Before the new version starts and before any traffic moves: it may rely on what the release
    // did (migrations), and a failed release leaves the previous version serving, untouched.
    if (project.releaseCommand?.length && deployment.trigger === 'rollback') {
      // A rollback restores service, also when the release command is what broke: it never runs one.
      await event(ROLLBACK_SKIPS_RELEASE);
    } else if (project.releaseCommand?.length) {
      const releasing = new AbortController();
      const releaseWatcher = watchForCancel(deps, deploymentId, releasing, signal);
      const release = await runDeployCommand(deps, {
        kind: 'release',
        command: project.releaseCommand,
        spec,
        event,
        signal: releasing.signal,
      }).finally(() => releaseWatcher.stop());
      if ((await deployments.findById(deploymentId))?.status === 'cancelling') {
        return finishCancel(deps, deploymentId, project.name);
      }
      if (!release.ok) return fail(`${release.error}. The previous version keeps serving.`);
      await event(RELEASE_DONE);
    }

    const replicasNote = webReplicas > 1 ? ` (${webReplicas} web replicas)` : '';
    await event(`Starting ${deployment.image} (${digest.slice(0, 19)}) in slot ${slot}${replicasNote}`);
    ({ project, spec } = await timeDeployPhase('start', async () => {
      await deps.runtime.prepare();
      // Whatever still occupies this slot (a failed attempt, an instance a crash left behind) goes first.
      for (const stale of await deps.runtime.list({ project: project.name })) {
        if (inGroup(stale, project.group) && stale.slot === slot && stale.deploymentId !== deploymentId) {
          await deps.runtime.remove(project.name, stale.deploymentId, { graceMs: 0 });
        }
      }
      // The route names only the active slot, so moving this (free) slot's port changes no route.
      return startOnFreePort(deps, project, spec, event);
    }));
    await event(`Waiting for GET ${project.healthPath} on port ${project.port} to succeed`);
    const cancelled = new AbortController();
    const watcher = watchForCancel(deps, deploymentId, cancelled, signal);
    const started = spec;
    const health = await timeDeployPhase('health', () =>
      deps.runtime.waitHealthy(started, {
        ...deps.settings.health,
        path: project.healthPath,
        signal: cancelled.signal,
      }),
    ).finally(() => watcher.stop());

    if ((await deployments.findById(deploymentId))?.status === 'cancelling') {
      return finishCancel(deps, deploymentId, project.name);
    }
    if (!health.healthy) {
      await deps.runtime.remove(project.name, deploymentId, { graceMs: 0 });
      return fail(`health check failed: ${health.error}. The previous version keeps serving.`);
    }

    const processes = await startOtherProcesses(deps, project, spec, event, signal);
    if ((await deployments.findById(deploymentId))?.status === 'cancelling') {
      return finishCancel(deps, deploymentId, project.name);
    }
    if (!processes.ok) {
      await deps.runtime.remove(project.name, deploymentId, { graceMs: 0 });
      return fail(`${processes.error}. The previous version keeps serving.`);
    }
    // The route balances over every web replica from the switch on.
    await deployments.update(deploymentId, { webReplicas });

    // One transaction under the project's row lock: the decision, then the route write; `healthy`
    // commits only once the route names the new instance, so whoever reads it can use the URL at once.
    const moved: { route: ProjectRoute | null } = { route: null };
    let activated: boolean;
    try {
      activated = await timeDeployPhase('switch', () =>
        deployments.activate(deploymentId, project.id, previous?.id ?? null, async (source) => {
          await event(`Healthy: moving traffic to slot ${slot}`);
          moved.route = await writeRoute(deps, source);
        }),
      );
    } catch (error) {
      // Nothing committed: the previous version is still the active one and still has the route.
      await deps.runtime.remove(project.name, deploymentId, { graceMs: 0 });
      return fail(`${TRAFFIC_NOT_MOVED}: ${message(error)}. The previous version keeps serving.`);
    }
    // Not activated: cancelled or failed meanwhile. No route: the project was deleted meanwhile, and
    // its removal takes the instances too.
    if (!activated && (await deployments.findById(deploymentId))?.status === 'cancelling') {
      return finishCancel(deps, deploymentId, project.name);
    }
    if (!activated || !moved.route) return;
    recordDeployment('succeeded');
    await event(TRAFFIC_SWITCHED(slot));

    if (previous) {
      // Out of the proxy's path now; requests it already had finish before SIGTERM (and during the
      // grace period, for apps that drain).
      const name = project.name;
      await timeDeployPhase('drain', async () => {
        await deps.clock.sleep(deps.settings.settleMs);
        await deps.runtime.remove(name, previous.id, { graceMs: deps.settings.stopGraceMs });
      });
      await deployments.addEvent(previous.id, `Superseded by ${deploymentId}; instance removed`);
    }
    if (project.postDeployCommand?.length) {
      // The new version already serves: a failure is told, and changes nothing.
      const postDeploy = await runDeployCommand(deps, {
        kind: 'post-deploy',
        command: project.postDeployCommand,
        spec,
        event,
        signal,
      });
      if (!postDeploy.ok) await event(`Post-deploy command failed: ${postDeploy.error}`, 'warn');
    }
    await event(DEPLOYMENT_DONE);
  } catch (error) {
    await fail(message(error));
  }
}

type SpecProject = {
  id: string;
  name: string;
  group?: string;
  port: number;
  healthPath?: string;
  cpuLimit: number | null;
  memoryLimitMb: number | null;
  slotPortA: number | null;
  slotPortB: number | null;
  startCommand?: string[];
  replicas?: number;
  replicaPorts?: ReplicaPortRow[];
};

/** The instance a deployment runs as: pinned image, env with secrets decrypted, limits, slot address. */
export async function instanceSpecFor(
  deps: EngineDeps,
  project: SpecProject,
  deployment: { id: string; image: string; digest: string; slot: 'a' | 'b'; webReplicas?: number },
): Promise<InstanceSpec> {
  const group = project.group ?? DEFAULT_GROUP;
  const replicas = deployment.webReplicas ?? webReplicasWanted(project);
  return {
    project: project.name,
    ...(group === DEFAULT_GROUP ? {} : { group: groupSlug(group) }),
    deploymentId: deployment.id,
    slot: deployment.slot,
    image: await deps.images.pinned(deployment.image, deployment.digest, project),
    port: project.port,
    healthPath: project.healthPath,
    env: await deps.resolveEnv(project.id, deployment.id),
    cpuLimit: project.cpuLimit,
    memoryLimitMb: project.memoryLimitMb,
    hostPort:
      deps.settings.upstreamMode === 'host'
        ? deployment.slot === 'a'
          ? project.slotPortA
          : project.slotPortB
        : null,
    slotHostPorts: deps.settings.upstreamMode === 'host' ? slotHostPorts(project) : undefined,
    replicas,
    ...(deps.settings.upstreamMode === 'host' && replicas > 1
      ? { replicaHostPorts: replicaPortsOf(project, deployment.slot, replicas) }
      : {}),
    ...(project.startCommand?.length ? { command: project.startCommand } : {}),
    // Preview groups run without the project's volumes: a branch's app never writes production files.
    ...(group === DEFAULT_GROUP && deps.resolveVolumes
      ? { volumes: await deps.resolveVolumes(project.id) }
      : {}),
  };
}

/**
 * Starts the deployment's processes besides web (each with its replicas) and waits until each stayed
 * up for the grace period (processStaysUp); they get no route, so they start only once web is healthy.
 */
async function startOtherProcesses(
  deps: EngineDeps,
  project: SpecProject & { processes?: unknown },
  web: InstanceSpec,
  event: (text: string, level?: 'info' | 'warn' | 'error') => Promise<void>,
  signal?: AbortSignal,
): Promise<ProcessStart> {
  const specs = otherProcessSpecs(project, web).filter((spec) => (spec.replicas ?? 1) > 0);
  if (specs.length === 0) return { ok: true };
  for (const spec of specs) {
    await event(
      `Starting process ${spec.process} (${spec.replicas} ${spec.replicas === 1 ? 'replica' : 'replicas'})`,
    );
    await deps.runtime.start(spec);
  }
  const results = await Promise.all(specs.map((spec) => processStaysUp(deps, spec, signal)));
  const failed = results.find((result) => !result.ok);
  if (failed) return failed;
  await event(`Processes up: ${specs.map((spec) => `${spec.process} ×${spec.replicas}`).join(', ')}`);
  return { ok: true };
}

/** Whether a runtime instance runs for `group` (a group name; the instance carries its slug). */
export function inGroup(instance: { group?: string }, group: string = DEFAULT_GROUP): boolean {
  return (instance.group ?? DEFAULT_GROUP) === groupSlug(group);
}

async function finishCancel(deps: EngineDeps, deploymentId: string, project: string) {
  await deps.runtime.remove(project, deploymentId, { graceMs: 0 });
  if (
    await deps.repos.deployments.transition(deploymentId, 'cancelling', 'cancelled', {
      terminationReason: 'cancelled',
    })
  ) {
    recordDeployment('cancelled');
    await deps.repos.deployments.addEvent(deploymentId, 'Deployment cancelled', 'warn');
  }
}

/** Aborts `controller` when the deployment is set to `cancelling` (or the job's signal aborts). */
function watchForCancel(
  deps: EngineDeps,
  deploymentId: string,
  controller: AbortController,
  signal?: AbortSignal,
) {
  const stopped = new AbortController();
  const onAbort = () => controller.abort();
  if (signal?.aborted) controller.abort();
  signal?.addEventListener('abort', onAbort);
  void (async () => {
    while (!stopped.signal.aborted && !controller.signal.aborted) {
      await deps.clock.sleep(CANCEL_POLL_MS, stopped.signal);
      if (stopped.signal.aborted) return;
      const current = await deps.repos.deployments.findById(deploymentId).catch(() => null);
      if (current?.status === 'cancelling') controller.abort();
    }
  })();
  return {
    stop: () => {
      stopped.abort();
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
