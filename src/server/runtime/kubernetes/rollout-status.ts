import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { InstanceState, RuntimeRestarts } from '../types';

/**
 * Reading Deployment and Pod status (pure). Kubernetes restarts and re-pulls on its own; these
 * reasons mean it will not succeed without a new image or configuration, so a deploy fails at once.
 */
export const POD_FAILURE_REASONS: ReadonlySet<string> = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'RunContainerError',
]);

export type Rollout =
  | { state: 'ready' }
  | { state: 'progressing'; detail: string }
  /** `pod`: the pod whose container failed, when a pod failure is the cause. */
  | { state: 'failed'; error: string; pod: string | null; reason: string };

/**
 * Like `kubectl rollout status`: the controller has seen the current generation, all replicas run the
 * current template and are ready and available, and no old pod is left. Pod failures (see
 * POD_FAILURE_REASONS) and a failed rollout (progress deadline, ReplicaFailure) fail it.
 */
export function rolloutStatus(deployment: V1Deployment, pods: V1Pod[]): Rollout {
  const failure = podFailure(pods) ?? deploymentFailure(deployment);
  if (failure) return { state: 'failed', ...failure };
  const generation = deployment.metadata?.generation ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < generation) {
    return {
      state: 'progressing',
      detail: 'the deployment controller has not processed the latest change yet',
    };
  }
  const wanted = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const waiting = podWaitingDetail(pods);
  if (updated < wanted) {
    return { state: 'progressing', detail: `${updated} of ${wanted} replicas updated${waiting}` };
  }
  if (ready < wanted || available < wanted) {
    return {
      state: 'progressing',
      detail: `${Math.min(ready, available)} of ${wanted} replicas ready${waiting}`,
    };
  }
  if (total > updated) {
    return { state: 'progressing', detail: `${total - updated} old replicas are pending termination` };
  }
  return { state: 'ready' };
}

export type Failure = { error: string; pod: string | null; reason: string };

/** The first container in a failure state: `error` is `"<reason>: <message>"`. */
export function podFailure(pods: V1Pod[]): Failure | null {
  for (const pod of livePods(pods)) {
    for (const status of containerStatuses(pod)) {
      const waiting = status.state?.waiting;
      if (!waiting?.reason || !POD_FAILURE_REASONS.has(waiting.reason)) continue;
      const message = waiting.message?.trim() || 'no message';
      const exitCode = status.lastState?.terminated?.exitCode;
      const exit = exitCode === undefined ? '' : ` (last exit code ${exitCode})`;
      return {
        error: `${waiting.reason}: ${message}${exit}`,
        pod: pod.metadata?.name ?? null,
        reason: waiting.reason,
      };
    }
  }
  return null;
}

function deploymentFailure(deployment: V1Deployment): Failure | null {
  for (const condition of deployment.status?.conditions ?? []) {
    const failed =
      (condition.type === 'Progressing' &&
        condition.status === 'False' &&
        condition.reason === 'ProgressDeadlineExceeded') ||
      (condition.type === 'ReplicaFailure' && condition.status === 'True');
    if (!failed) continue;
    const reason = condition.reason ?? condition.type ?? 'Failed';
    return { error: `${reason}: ${condition.message ?? 'no message'}`, pod: null, reason };
  }
  return null;
}

/** Why pods are not ready yet, e.g. ` (pod shop-x-1: ContainerCreating)`, or ''. */
function podWaitingDetail(pods: V1Pod[]): string {
  const details: string[] = [];
  for (const pod of livePods(pods)) {
    const name = pod.metadata?.name ?? '?';
    const unscheduled = pod.status?.conditions?.find(
      (condition) => condition.type === 'PodScheduled' && condition.status === 'False',
    );
    if (unscheduled) {
      details.push(
        `pod ${name}: ${unscheduled.reason ?? 'Unschedulable'}: ${unscheduled.message ?? ''}`.trim(),
      );
      continue;
    }
    const waiting = containerStatuses(pod).find((status) => status.state?.waiting)?.state?.waiting;
    if (waiting) details.push(`pod ${name}: ${waiting.reason ?? 'waiting'}`);
    else if (pod.status?.phase === 'Running') details.push(`pod ${name}: running, not ready`);
    else details.push(`pod ${name}: ${pod.status?.phase ?? 'Pending'}`);
  }
  return details.length > 0 ? ` (${details.join('; ')})` : '';
}

export type InstanceRuntimeStatus = {
  state: InstanceState;
  exitCode: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  runtimeRestarts: RuntimeRestarts;
};

/**
 * What Rise's reconciler needs to know: `running` (a container runs), `restarting` (crash-looping:
 * Kubernetes restarts it), `created` (not started yet: scheduling, pulling, a config error), `exited`
 * (scaled to zero or the pod ended) and `dead` (being deleted).
 */
export function instanceStatus(deployment: V1Deployment, pods: V1Pod[]): InstanceRuntimeStatus {
  const live = livePods(pods);
  const statuses = live.flatMap(containerStatuses);
  const { base, stopped, running } = containerFacts(statuses);
  if (deployment.metadata?.deletionTimestamp) return { ...base, ...stopped, state: 'dead' };
  if ((deployment.spec?.replicas ?? 1) === 0) return { ...base, ...stopped, state: 'exited' };
  if (statuses.some((status) => status.state?.waiting?.reason === 'CrashLoopBackOff')) {
    return { ...base, ...stopped, state: 'restarting' };
  }
  if (running || (deployment.status?.readyReplicas ?? 0) > 0) return { ...base, state: 'running' };
  if (
    live.length > 0 &&
    live.every((pod) => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')
  ) {
    return { ...base, ...stopped, state: 'exited' };
  }
  return { ...base, state: 'created' };
}

/**
 * One pod as one instance (a replica): `dead` while it or its Deployment is deleted, `restarting` in
 * CrashLoopBackOff, `running` while its container runs, `exited` once the pod ended, else `created`.
 */
export function podInstanceStatus(deployment: V1Deployment, pod: V1Pod): InstanceRuntimeStatus {
  const statuses = containerStatuses(pod);
  const { base, stopped, running } = containerFacts(statuses);
  if (deployment.metadata?.deletionTimestamp || pod.metadata?.deletionTimestamp) {
    return { ...base, ...stopped, state: 'dead' };
  }
  if (statuses.some((status) => status.state?.waiting?.reason === 'CrashLoopBackOff')) {
    return { ...base, ...stopped, state: 'restarting' };
  }
  if (running) return { ...base, state: 'running' };
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
    return { ...base, ...stopped, state: 'exited' };
  }
  return { ...base, state: 'created' };
}

/**
 * What containers' statuses say of an instance: when it started and last ended (`base`, exit code
 * unknown while it runs), its last exit code once stopped (`stopped`), and its running state if any.
 */
function containerFacts(statuses: V1ContainerStatus[]) {
  const lastTermination = statuses
    .map((status) => status.state?.terminated ?? status.lastState?.terminated)
    .find((terminated) => terminated !== undefined);
  const running = statuses.map((status) => status.state?.running).find((state) => state !== undefined);
  const base = {
    exitCode: null,
    startedAt: running?.startedAt ?? null,
    finishedAt: lastTermination?.finishedAt ?? null,
    runtimeRestarts: runtimeRestarts(statuses),
  };
  return { base, stopped: { exitCode: lastTermination?.exitCode ?? null }, running };
}

/** The restarts Kubernetes made of these containers, and the newest crash among them. */
export function runtimeRestarts(statuses: V1ContainerStatus[]): RuntimeRestarts {
  let last: { exitCode: number; finishedAt: Date } | null = null;
  for (const status of statuses) {
    const terminated = status.lastState?.terminated;
    const finishedAt = terminated?.finishedAt ? new Date(terminated.finishedAt) : null;
    if (!terminated || !finishedAt || Number.isNaN(finishedAt.getTime())) continue;
    if (!last || finishedAt > last.finishedAt) last = { exitCode: terminated.exitCode, finishedAt };
  }
  return {
    count: statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0),
    lastExitCode: last?.exitCode ?? null,
    lastCrashAt: last?.finishedAt ?? null,
  };
}

function livePods(pods: V1Pod[]): V1Pod[] {
  return pods.filter((pod) => !pod.metadata?.deletionTimestamp);
}

function containerStatuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}
