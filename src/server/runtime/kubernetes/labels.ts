import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { type InstanceIdentity, readInstanceIdentity } from '../instance-identity';
import { processOf, type Slot, WEB_PROCESS } from '../types';

/**
 * Labels of the Kubernetes objects Rise creates; the only way Rise recognises its own objects.
 * `app.kubernetes.io/managed-by=rise` says "Rise made this"; `rise.dev/instance=<RISE_INSTANCE_ID>`
 * says which installation, so several installations (or test runs) can share one cluster.
 */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  instance: 'rise.dev/instance',
  project: 'rise.dev/project',
  deployment: 'rise.dev/deployment',
  slot: 'rise.dev/slot',
  /** A non-default deployment group's slug (`mr--26`); absent on the default group's objects. */
  group: 'rise.dev/group',
  /** On a one-off's Job, pods and env Secret: its id (`<deploymentId>-release`); they carry no slot. */
  oneOff: 'rise.dev/one-off',
  /** …and its kind (`release`, `post-deploy`, `run`). */
  oneOffKind: 'rise.dev/one-off-kind',
  /**
   * The process a Deployment, its pods and its env Secret run (`web`, `worker`). Objects written before
   * processes existed have none: they are `web`'s (see `processOfLabels`).
   */
  process: 'rise.dev/process',
} as const;

export const MANAGER = 'rise';
export const DEFAULT_INSTANCE = 'rise';
/** What `kubectl rollout restart` sets; a changed pod template makes the Deployment roll. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

type Labels = Record<string, string>;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Kubernetes label values: at most 63 characters, alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

export function assertInstanceId(instance: string): void {
  if (!instance || !isLabelValue(instance)) {
    throw new Error(
      `instance id ${JSON.stringify(instance)} cannot be a Kubernetes label value: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
}

/** The labels every object of this installation carries. */
export function ownerLabels(instance: string): Labels {
  return { [LABELS.managedBy]: MANAGER, [LABELS.instance]: instance };
}

export function projectLabels(instance: string, project: string): Labels {
  return { ...ownerLabels(instance), [LABELS.project]: project };
}

/**
 * Labels of an object of one deployment group (`group` its slug): the project's, plus `rise.dev/group`
 * for a non-default group. The default group's objects carry no group label, as before groups.
 */
export function groupLabels(instance: string, project: string, group?: string): Labels {
  return {
    ...projectLabels(instance, project),
    ...(group && group !== DEFAULT_GROUP ? { [LABELS.group]: group } : {}),
  };
}

/** True when `labels` name `project` and the group `group` (absent, or `default`: the default group). */
export function belongsToGroup(labels: Labels | null | undefined, project: string, group?: string): boolean {
  const wanted = group ?? DEFAULT_GROUP;
  return labels?.[LABELS.project] === project && (labels?.[LABELS.group] ?? DEFAULT_GROUP) === wanted;
}

/** Selects the pods of one Rise deployment (a Deployment's selector, a Service's target). */
export function deploymentSelector(instance: string, project: string, deploymentId: string): Labels {
  return { ...projectLabels(instance, project), [LABELS.deployment]: deploymentId };
}

/**
 * Selects the pods of one process of a Rise deployment: a process's Deployment's selector, and the
 * Service's (web's pods only, never a worker's).
 */
export function processSelector(
  instance: string,
  project: string,
  deploymentId: string,
  process: string,
): Labels {
  return { ...deploymentSelector(instance, project, deploymentId), [LABELS.process]: process };
}

/** The process an object's labels name; `web` when unlabelled (written before processes existed). */
export function processOfLabels(labels: Labels | null | undefined): string {
  return labels?.[LABELS.process] ?? WEB_PROCESS;
}

/**
 * Labels of a Deployment, its pods and its env Secret; `rise.dev/group` on those of a non-default
 * group. Not part of the selector: a deployment id names one deployment of one group already.
 */
export function instanceLabels(
  instance: string,
  spec: { project: string; group?: string; deploymentId: string; slot: Slot; process?: string },
  extra: Labels = {},
): Labels {
  return {
    ...extra,
    ...groupLabels(instance, spec.project, spec.group),
    ...processSelector(instance, spec.project, spec.deploymentId, processOf(spec)),
    [LABELS.slot]: spec.slot,
  };
}

/**
 * Labels of a one-off's Job, pods and env Secret. No deployment label: its pods are never taken for
 * the deployment's own (instance status, health, logs select by deployment).
 */
export function oneOffLabels(
  instance: string,
  spec: { project: string; group?: string; id: string; kind: string },
  extra: Labels = {},
): Labels {
  return {
    ...extra,
    ...groupLabels(instance, spec.project, spec.group),
    [LABELS.oneOff]: spec.id,
    [LABELS.oneOffKind]: spec.kind,
  };
}

/** `k=v,k=v`: a label selector for list calls. */
export function labelSelector(labels: Labels): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

export function isOwned(instance: string, labels: Labels | null | undefined): boolean {
  return labels?.[LABELS.managedBy] === MANAGER && labels?.[LABELS.instance] === instance;
}

/** Project, deployment and slot of an object this installation manages, or null when it is not ours. */
export function readInstanceLabels(
  instance: string,
  labels: Labels | null | undefined,
): InstanceIdentity | null {
  if (!labels || !isOwned(instance, labels)) return null;
  return readInstanceIdentity(LABELS, labels);
}

/** Why Rise refuses to touch an object: it is another installation's, or not Rise's at all. */
export function ownerProblem(instance: string, labels: Labels | null | undefined): string {
  if (labels?.[LABELS.managedBy] !== MANAGER) {
    return `it is not managed by Rise (no ${LABELS.managedBy}=${MANAGER} label)`;
  }
  return `it belongs to another Rise installation (${LABELS.instance}=${labels?.[LABELS.instance] ?? ''}, this one is ${instance})`;
}
