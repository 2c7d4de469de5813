import type {
  V1Deployment,
  V1Job,
  V1Namespace,
  V1Probe,
  V1ResourceRequirements,
  V1Secret,
  V1SecurityContext,
  V1Service,
} from '@kubernetes/client-node';
import { instanceEnv } from '../instance-env';
import { type InstanceSpec, type OneOffSpec, processOf, WEB_PROCESS } from '../types';
import {
  groupLabels,
  instanceLabels,
  oneOffLabels,
  ownerLabels,
  processSelector,
  projectLabels,
} from './labels';
import {
  CONTAINER_NAME,
  deploymentName,
  envSecretName,
  HANDSHAKE_SERVICE_NAME,
  PORT_NAME,
  PULL_SECRET_NAME,
  processDeploymentName,
  processEnvSecretName,
  serviceName,
} from './names';

/**
 * Pure builders of the objects Rise writes to the Kubernetes API: no I/O, no clock (callers pass
 * `now`). Every object they produce validates against the Kubernetes OpenAPI schemas (the fake API
 * server in test/ rejects anything else with 422, like a real one).
 */

export type ManifestContext = {
  /** RISE_INSTANCE_ID: the installation owning the objects. */
  instance: string;
  namespace: string;
  /** Labels added to every object (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
};

export type DeploymentOptions = ManifestContext & {
  /** Require a non-root user (RISE_KUBE_RUN_AS_NON_ROOT); images that run as root then fail to start. */
  runAsNonRoot: boolean;
  /** Reference the project's pull secret (the image's registry needs credentials). */
  pullSecret: boolean;
  /** Its name (default PULL_SECRET_NAME; see pullSecretName). */
  pullSecretName?: string;
  /** Pod termination grace period (what Docker's stop timeout is). */
  terminationGraceSeconds: number;
  /** Recorded in the pod template: a second start() of the same deployment rolls out new pods. */
  startedAt: Date;
};

/** How often Kubernetes probes the app, and how patiently. */
export const PROBE_TIMING = {
  // Until the app answers once, up to 5 minutes; readiness and liveness wait for this.
  startup: { periodSeconds: 2, failureThreshold: 150, timeoutSeconds: 2 },
  readiness: { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2 },
  // Restart only an app that stopped answering for half a minute.
  liveness: { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
} as const;

export const DEFAULT_HEALTH_PATH = '/';
/** Annotation in the pod template recording when start() wrote it. */
export const STARTED_AT_ANNOTATION = 'rise.dev/started-at';
const PRIVILEGED_PORTS_BELOW = 1024;

export function namespaceManifest(
  name: string,
  context: { instance: string; project?: string; extraLabels?: Record<string, string> },
): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: ownedLabels(context) },
  };
}

/**
 * The environment variables of one process of a deployment with PORT, read by its containers through
 * `envFrom`; each process has its own, so starting one never changes another's.
 */
export function envSecretManifest(spec: InstanceSpec, context: ManifestContext): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: processEnvSecretName(spec.project, spec.deploymentId, processOf(spec)),
      namespace: context.namespace,
      labels: instanceLabels(context.instance, spec, context.extraLabels),
    },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(instanceEnv(spec)).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

export type RegistryCredentials = { username: string; password: string; serveraddress: string };

/**
 * A `kubernetes.io/dockerconfigjson` Secret with the credentials a project pulls its image with (Rise's
 * registry's, or the project's login to another registry); `project` labels it as the project's.
 */
export function pullSecretManifest(
  credentials: RegistryCredentials,
  context: ManifestContext & { project?: string; name?: string },
): V1Secret {
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
  const config = {
    auths: {
      [credentials.serveraddress]: { username: credentials.username, password: credentials.password, auth },
    },
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: context.name ?? PULL_SECRET_NAME,
      namespace: context.namespace,
      labels: ownedLabels(context),
    },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config), 'utf8').toString('base64') },
  };
}

/** Requests equal to limits: the scheduler reserves what the app may use (as Kubernetes defaults to). */
export function resourceRequirements(
  spec: Pick<InstanceSpec, 'cpuLimit' | 'memoryLimitMb'>,
): V1ResourceRequirements {
  const limits: Record<string, string> = {};
  if (spec.cpuLimit !== null) limits.cpu = `${Math.max(1, Math.round(spec.cpuLimit * 1000))}m`;
  if (spec.memoryLimitMb !== null) limits.memory = `${Math.max(1, Math.round(spec.memoryLimitMb))}Mi`;
  if (Object.keys(limits).length === 0) return {};
  return { requests: { ...limits }, limits };
}

/** Startup, readiness and liveness: GET `healthPath` on the app's port, 2xx/3xx is healthy. */
export function probes(healthPath: string | undefined): {
  startupProbe: V1Probe;
  readinessProbe: V1Probe;
  livenessProbe: V1Probe;
} {
  const path = normalisePath(healthPath ?? DEFAULT_HEALTH_PATH);
  const httpGet = { path, port: PORT_NAME, scheme: 'HTTP' };
  return {
    startupProbe: { httpGet, ...PROBE_TIMING.startup },
    readinessProbe: { httpGet, ...PROBE_TIMING.readiness },
    livenessProbe: { httpGet, ...PROBE_TIMING.liveness },
  };
}

/**
 * The container's security context: no privilege escalation, no capabilities (but binding a port
 * below 1024, which a root app listening on :80 needs), the runtime's default seccomp profile, and a
 * non-root user when required. Meets the "restricted" Pod Security Standard when `runAsNonRoot`.
 */
export function containerSecurityContext(options: {
  runAsNonRoot: boolean;
  port: number;
}): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: {
      drop: ['ALL'],
      ...(options.port < PRIVILEGED_PORTS_BELOW ? { add: ['NET_BIND_SERVICE'] } : {}),
    },
    seccompProfile: { type: 'RuntimeDefault' },
    ...(options.runAsNonRoot ? { runAsNonRoot: true } : {}),
  };
}

/**
 * One Deployment per process of a Rise deployment: `spec.replicas` (default 1) pods of the pinned
 * image, env from the process's Secret. Only `web` declares its port and is probed over HTTP; another
 * process (a worker) has no port and no probes: it is ready while its container runs.
 */
export function deploymentManifest(spec: InstanceSpec, options: DeploymentOptions): V1Deployment {
  const process = processOf(spec);
  const web = process === WEB_PROCESS;
  const name = processDeploymentName(spec.project, spec.deploymentId, process);
  const labels = instanceLabels(options.instance, spec, options.extraLabels);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace, labels },
    spec: {
      replicas: spec.replicas ?? 1,
      revisionHistoryLimit: 2,
      // A new pod is ready before the old one goes (restarts keep serving).
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: processSelector(options.instance, spec.project, spec.deploymentId, process) },
      template: {
        metadata: { labels, annotations: { [STARTED_AT_ANNOTATION]: options.startedAt.toISOString() } },
        spec: {
          // Apps get no Kubernetes API credentials and no service-discovery variables of their neighbours.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: options.terminationGraceSeconds,
          securityContext: {
            seccompProfile: { type: 'RuntimeDefault' },
            ...(options.runAsNonRoot ? { runAsNonRoot: true } : {}),
          },
          ...(options.pullSecret
            ? { imagePullSecrets: [{ name: options.pullSecretName ?? PULL_SECRET_NAME }] }
            : {}),
          containers: [
            {
              name: CONTAINER_NAME,
              image: spec.image,
              // Images are pinned by digest: a present one is the right one.
              imagePullPolicy: 'IfNotPresent',
              // `command` without `args`: neither the image's ENTRYPOINT nor its CMD is used.
              ...(spec.command?.length ? { command: spec.command } : {}),
              ...(web ? { ports: [{ name: PORT_NAME, containerPort: spec.port, protocol: 'TCP' }] } : {}),
              envFrom: [
                { secretRef: { name: processEnvSecretName(spec.project, spec.deploymentId, process) } },
              ],
              resources: resourceRequirements(spec),
              ...(web ? probes(spec.healthPath) : {}),
              securityContext: containerSecurityContext({
                runAsNonRoot: options.runAsNonRoot,
                port: spec.port,
              }),
            },
          ],
        },
      },
    },
  };
}

/** A service target: one deployment of a project's group (`group` its slug; absent: the default group). */
export type ServiceTarget = { project: string; group?: string; deploymentId: string; port: number };

/** A group's Service: port 80 (`http`) to the container port of ONE deployment's web pods. */
export function serviceManifest(
  target: ServiceTarget,
  context: ManifestContext,
  selector?: Record<string, string>,
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: serviceName(target.project, target.group),
      namespace: context.namespace,
      labels: { ...context.extraLabels, ...groupLabels(context.instance, target.project, target.group) },
    },
    spec: serviceSpec(target, context.instance, selector),
  };
}

/**
 * The part of the Service that moves when traffic switches to another deployment. It selects the
 * deployment's web pods (`selector`: the web Deployment's own, for one started before processes
 * existed, whose pods have no process label).
 */
export function serviceSpec(
  target: Pick<ServiceTarget, 'project' | 'deploymentId' | 'port'>,
  instance: string,
  selector?: Record<string, string>,
): NonNullable<V1Service['spec']> {
  return {
    type: 'ClusterIP',
    selector: selector ?? processSelector(instance, target.project, target.deploymentId, WEB_PROCESS),
    ports: [{ name: PORT_NAME, port: 80, targetPort: target.port, protocol: 'TCP' }],
  };
}

/**
 * The ExternalName Service (HANDSHAKE_SERVICE_NAME) through which the ingress controller reaches Rise's
 * web Service from a project's namespace (an Ingress backend must be a Service of its namespace).
 * `project` labels it when the namespace is the project's own.
 */
export function handshakeServiceManifest(
  rise: { host: string; port: number },
  context: ManifestContext & { project?: string },
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: HANDSHAKE_SERVICE_NAME,
      namespace: context.namespace,
      labels: ownedLabels(context),
    },
    spec: {
      type: 'ExternalName',
      externalName: rise.host,
      // ingress-nginx dials the targetPort of an ExternalName Service.
      ports: [{ name: PORT_NAME, port: rise.port, targetPort: rise.port, protocol: 'TCP' }],
    },
  };
}

/**
 * Labels of an object that belongs to `project` when one is given, else to the Rise instance alone;
 * Rise's own labels win over the extra ones.
 */
function ownedLabels(context: {
  instance: string;
  project?: string;
  extraLabels?: Record<string, string>;
}): Record<string, string> {
  const labels = context.project
    ? projectLabels(context.instance, context.project)
    : ownerLabels(context.instance);
  return { ...context.extraLabels, ...labels };
}

function normalisePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** The env Secret of a one-off (`<project>-<id>-env`): the env its deployment's instance gets. */
export function oneOffEnvSecretManifest(spec: OneOffSpec, context: ManifestContext): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: envSecretName(spec.project, spec.id),
      namespace: context.namespace,
      labels: oneOffLabels(context.instance, spec, context.extraLabels),
    },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(instanceEnv(spec)).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

export type OneOffJobOptions = ManifestContext & {
  runAsNonRoot: boolean;
  pullSecret: boolean;
  pullSecretName?: string;
  /** Kubernetes stops the Job after this long even when Rise is gone (activeDeadlineSeconds). */
  timeoutSeconds: number;
};

/**
 * A one-off command as a Job (`<project>-<id>`): one pod, never retried (backoffLimit 0, restartPolicy
 * Never), the deployment's image with `command` replacing ENTRYPOINT and CMD, its env from the
 * one-off's Secret, the app's limits and lock-down, and no port, probes or Service.
 */
export function oneOffJobManifest(spec: OneOffSpec, options: OneOffJobOptions): V1Job {
  const labels = oneOffLabels(options.instance, spec, options.extraLabels);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: deploymentName(spec.project, spec.id), namespace: options.namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: options.timeoutSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            seccompProfile: { type: 'RuntimeDefault' },
            ...(options.runAsNonRoot ? { runAsNonRoot: true } : {}),
          },
          ...(options.pullSecret
            ? { imagePullSecrets: [{ name: options.pullSecretName ?? PULL_SECRET_NAME }] }
            : {}),
          containers: [
            {
              name: CONTAINER_NAME,
              image: spec.image,
              imagePullPolicy: 'IfNotPresent',
              command: spec.command,
              envFrom: [{ secretRef: { name: envSecretName(spec.project, spec.id) } }],
              resources: resourceRequirements(spec),
              securityContext: containerSecurityContext({
                runAsNonRoot: options.runAsNonRoot,
                port: spec.port,
              }),
            },
          ],
        },
      },
    },
  };
}
