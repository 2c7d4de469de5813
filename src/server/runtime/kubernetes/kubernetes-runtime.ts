import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Deployment, V1Namespace, V1Pod, V1Secret } from '@kubernetes/client-node';
import { notFound, preconditionFailed } from '@/server/errors';
import { probeSchedule } from '../probe-schedule';
import {
  type ExecOptions,
  type ExecSession,
  type HealthCheck,
  type HealthResult,
  type InstanceRef,
  type InstanceSpec,
  type InstanceStats,
  type InstanceStatus,
  type InstanceVolume,
  isPrimary,
  type LogLine,
  type OneOffOptions,
  type OneOffResult,
  type OneOffSpec,
  PRIMARY_INSTANCE,
  processOf,
  type Runtime,
  WEB_PROCESS,
} from '../types';
import {
  ignoreKubeStatus,
  type KubeApis,
  type KubeConfigSource,
  kubeMessage,
  kubeStatus,
  lazyKubeApis,
} from './kube-client';
import {
  assertInstanceId,
  belongsToGroup,
  DEFAULT_INSTANCE,
  deploymentSelector,
  groupLabels,
  isOwned,
  LABELS,
  labelSelector,
  MANAGER,
  ownerLabels,
  ownerProblem,
  processOfLabels,
  projectLabels,
  RESTARTED_AT_ANNOTATION,
  readInstanceLabels,
} from './labels';
import {
  deploymentManifest,
  envSecretManifest,
  type ManifestContext,
  namespaceManifest,
  oneOffEnvSecretManifest,
  oneOffJobManifest,
  pullSecretManifest,
  type RegistryCredentials,
  serviceManifest,
  serviceSpec,
} from './manifests';
import {
  CONTAINER_NAME,
  DEFAULT_NAMESPACE_FORMAT,
  deploymentName,
  envSecretName,
  isDnsLabel,
  isSharedNamespace,
  namespaceName,
  processDeploymentName,
  pullSecretName,
  serviceName,
} from './names';
import { execInPod } from './pod-exec';
import { mergeByTime, parsePodLog, readPodLogLines } from './pod-logs';
import { type PodMetricsList, podStats } from './pod-metrics';
import { numberedPods } from './replicas';
import { instanceStatus, POD_FAILURE_REASONS, podInstanceStatus, rolloutStatus } from './rollout-status';
import { claimManifest, claimName, claimProject, VOLUME_LABEL, withVolumes } from './volumes';

/**
 * Credentials for pulling `image` for `project` (Rise's registry's, or the project's own login to the
 * image's registry), or null when it needs none; rejects an image the project may not pull.
 */
export type PullCredentials = (image: string, project: string) => Promise<RegistryCredentials | null>;

export type KubernetesRuntimeOptions = {
  /** Cluster access. A function is called once, on first use (index.ts loads the kubeconfig lazily). */
  kubeConfig: KubeConfigSource;
  /** RISE_INSTANCE_ID: the `rise.dev/instance` label; Rise lists and changes only its own objects. */
  instance?: string;
  /** RISE_KUBE_NAMESPACE_FORMAT: `{project}` is replaced by the project name (default `rise-{project}`). */
  namespaceFormat?: string;
  /** RISE_KUBE_NAMESPACE: one namespace for every project (its administrator creates it). */
  namespace?: string | null;
  /** RISE_KUBE_RUN_AS_NON_ROOT: refuse to run images whose user is root. */
  runAsNonRoot?: boolean;
  /** Pull credentials (the worker's for Rise's registry, a project's login); a Secret on every start. */
  pullAuth?: PullCredentials;
  /** Added to every object created (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
  /** Pods' termination grace period (RISE_STOP_GRACE_MS in seconds; default 10). */
  terminationGraceSeconds?: number;
  now?: () => Date;
};

const DEFAULT_TERMINATION_GRACE_SECONDS = 10;
const CRASH_LOG_LINES = 20;
/** Failures where the app ran, so its output says why it stopped. */
const CRASH_REASONS = new Set(['CrashLoopBackOff', 'RunContainerError']);

/**
 * Runs each process of a Rise deployment as a Kubernetes Deployment (`spec.replicas` pods) in the
 * project's namespace, with its environment in a Secret and its registry credentials in an
 * imagePullSecret. The project's Service points at one deployment's web pods (`setServiceTarget`);
 * routing to it is the proxy layer's job. Each pod is one instance: see `numberedPods` for replicas.
 */
/** How often a one-off's Job is looked at, and how much of its output is kept. */
const ONE_OFF_POLL_MS = 250;
const ONE_OFF_LOG_LINES = 10_000;

export class KubernetesRuntime implements Runtime {
  readonly name = 'kubernetes';
  readonly instance: string;
  private readonly namespaceFormat: string;
  private readonly sharedNamespace: string | null;
  private readonly runAsNonRoot: boolean;
  private readonly pullAuth?: PullCredentials;
  private readonly extraLabels: Record<string, string>;
  private readonly terminationGraceSeconds: number;
  private readonly now: () => Date;
  private readonly apis: () => Promise<KubeApis>;

  constructor(options: KubernetesRuntimeOptions) {
    this.instance = options.instance ?? DEFAULT_INSTANCE;
    assertInstanceId(this.instance);
    this.namespaceFormat = options.namespaceFormat ?? DEFAULT_NAMESPACE_FORMAT;
    this.sharedNamespace = isSharedNamespace({ format: this.namespaceFormat, shared: options.namespace })
      ? (options.namespace ?? this.namespaceFormat)
      : null;
    if (this.sharedNamespace !== null && !isDnsLabel(this.sharedNamespace)) {
      throw new Error(`invalid namespace ${JSON.stringify(this.sharedNamespace)}: expected a DNS label`);
    }
    this.runAsNonRoot = options.runAsNonRoot ?? false;
    this.pullAuth = options.pullAuth;
    this.extraLabels = options.extraLabels ?? {};
    this.terminationGraceSeconds = options.terminationGraceSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
    this.now = options.now ?? (() => new Date());
    this.apis = lazyKubeApis(options.kubeConfig);
  }

  /** The one namespace every project shares (RISE_KUBE_NAMESPACE), or null: a namespace per project. */
  get sharedNamespaceName(): string | null {
    return this.sharedNamespace;
  }

  /** The namespace of a project's objects. */
  namespaceFor(project: string): string {
    return namespaceName(project, { format: this.namespaceFormat, shared: this.sharedNamespace });
  }

  /**
   * Checks that the API answers and lets Rise list its Deployments. Namespaces are not touched: a
   * project's own is created by start(), a shared one by the cluster's administrator.
   */
  async prepare(): Promise<void> {
    const { apps } = await this.apis();
    const selector = labelSelector(ownerLabels(this.instance));
    try {
      if (this.sharedNamespace) {
        await apps.listNamespacedDeployment({
          namespace: this.sharedNamespace,
          labelSelector: selector,
          limit: 1,
        });
      } else {
        await apps.listDeploymentForAllNamespaces({ labelSelector: selector, limit: 1 });
      }
    } catch (error) {
      throw new Error(`cannot list Deployments through the Kubernetes API: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * Creates (or replaces) the Deployment of `spec.process` with `spec.replicas` pods; the deployment's
   * other processes' Deployments and env Secrets are not touched.
   */
  async start(spec: InstanceSpec): Promise<void> {
    const namespace = this.namespaceFor(spec.project);
    const name = processDeploymentName(spec.project, spec.deploymentId, processOf(spec));
    const { apps } = await this.apis();
    try {
      if (!this.sharedNamespace) await this.ensureNamespace(namespace, spec.project);
      const existing = await this.readOwnedDeployment(namespace, name);
      const context = this.context(namespace);
      // Rewritten on every start: the credentials are short-lived, a deploy must not find expired ones.
      const credentials = (await this.pullAuth?.(spec.image, spec.project)) ?? null;
      const secretName = pullSecretName(spec.project, this.sharedNamespace !== null);
      if (credentials) {
        await this.upsertSecret(
          pullSecretManifest(credentials, { ...context, project: spec.project, name: secretName }),
        );
      }
      await this.upsertSecret(envSecretManifest(spec, context));
      for (const volume of spec.volumes ?? []) await this.ensureClaim(spec.project, volume, namespace);
      const body = withVolumes(
        deploymentManifest(spec, {
          ...context,
          runAsNonRoot: this.runAsNonRoot,
          pullSecret: credentials !== null,
          pullSecretName: secretName,
          terminationGraceSeconds: this.terminationGraceSeconds,
          startedAt: this.now(),
        }),
        spec,
        this.instance,
      );
      // A retried job finds the Deployment of its previous attempt: replace it (new pods roll out).
      if (existing) {
        // The selector is immutable: one written before processes existed (no process label) stays.
        if (existing.spec?.selector && body.spec) body.spec.selector = existing.spec.selector;
        await apps.replaceNamespacedDeployment({ name, namespace, body });
      } else {
        const created = await ignoreKubeStatus([409], () =>
          apps.createNamespacedDeployment({ namespace, body }),
        );
        if (!created) {
          if (!(await this.readOwnedDeployment(namespace, name)))
            throw new Error('it vanished while replacing it');
          await apps.replaceNamespacedDeployment({ name, namespace, body });
        }
      }
    } catch (error) {
      throw new Error(`could not start Deployment ${name} in namespace ${namespace}: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * Sets the replicas of the process's Deployment to `spec.replicas` (a merge patch of `spec.replicas`
   * alone): the pod template is unchanged, so running pods stay. Scaling down, the ReplicaSet
   * controller picks the pods to stop (not-ready and newer ones first), each stopped with the pods'
   * termination grace period; `graceMs` is not used.
   */
  async scale(spec: InstanceSpec, _options: { graceMs?: number } = {}): Promise<void> {
    const namespace = this.namespaceFor(spec.project);
    const name = processDeploymentName(spec.project, spec.deploymentId, processOf(spec));
    const replicas = spec.replicas ?? 1;
    const { apps, mergePatch } = await this.apis();
    const deployment = await this.readOwnedDeployment(namespace, name);
    if (!deployment) {
      throw notFound(`cannot scale ${name} to ${replicas}: no such Deployment in namespace ${namespace}`);
    }
    if ((deployment.spec?.replicas ?? 1) === replicas) return;
    try {
      await apps.patchNamespacedDeployment({ name, namespace, body: { spec: { replicas } } }, mergePatch);
    } catch (error) {
      throw new Error(`could not scale Deployment ${name} in namespace ${namespace}: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * Waits for the rollout of the process's Deployment: every one of its `replicas` pods ready.
   * Kubernetes probes web (the readiness probe on `spec.healthPath`); another process is ready while
   * its container runs. This polls the Deployment's status every `check.intervalMs`, `check.attempts`
   * times. Pods that cannot start (image pull errors, crash loops, config errors) fail it at once.
   */
  async waitHealthy(spec: InstanceSpec, check: HealthCheck): Promise<HealthResult> {
    const namespace = this.namespaceFor(spec.project);
    const name = processDeploymentName(spec.project, spec.deploymentId, processOf(spec));
    let lastError = 'no check was made';
    const schedule = probeSchedule(check);
    let checks = 0;
    for (;;) {
      checks++;
      if (check.signal?.aborted) return { healthy: false, error: 'cancelled' };
      try {
        const deployment = await this.readOwnedDeployment(namespace, name);
        if (!deployment) return { healthy: false, error: `Deployment ${name} does not exist` };
        const pods = await this.processPods(namespace, spec.project, spec.deploymentId, processOf(spec));
        const rollout = rolloutStatus(deployment, pods);
        if (rollout.state === 'ready') return { healthy: true };
        if (rollout.state === 'failed') {
          const logs =
            rollout.pod && CRASH_REASONS.has(rollout.reason)
              ? await this.crashLogs(namespace, rollout.pod)
              : '';
          return { healthy: false, error: `${rollout.error}${logs}` };
        }
        lastError = rollout.detail;
      } catch (error) {
        // A refused object is final; API hiccups are retried like a failed probe.
        if (error instanceof ForeignObjectError) return { healthy: false, error: error.message };
        lastError = `Kubernetes API: ${kubeMessage(error)}`;
      }
      const pause = schedule.next();
      if (pause === null) break;
      try {
        await sleep(pause, undefined, { signal: check.signal });
      } catch {
        return { healthy: false, error: 'cancelled' };
      }
    }
    return {
      healthy: false,
      error: `Deployment ${name} not ready after ${checks} ${checks === 1 ? 'check' : 'checks'}: ${lastError}`,
    };
  }

  /**
   * Deletes the Deployments of every process of the deployment (their ReplicaSets and pods follow, in
   * the background) and their env Secrets. With `graceMs`, the pods are deleted with that grace period
   * instead of their own. Idempotent.
   */
  async remove(project: string, deploymentId: string, options: { graceMs?: number } = {}): Promise<void> {
    const namespace = this.namespaceFor(project);
    const { apps, core } = await this.apis();
    const selector = labelSelector(deploymentSelector(this.instance, project, deploymentId));
    // Web's by name first: one of Rise's names that is not Rise's is refused, not skipped.
    const web = await this.readOwnedDeployment(namespace, deploymentName(project, deploymentId));
    const listed = await apps.listNamespacedDeployment({ namespace, labelSelector: selector });
    const names = new Set(
      listed.items
        .filter((deployment) => isOwned(this.instance, deployment.metadata?.labels))
        .map((deployment) => deployment.metadata?.name)
        .filter((name): name is string => Boolean(name)),
    );
    if (web?.metadata?.name) names.add(web.metadata.name);
    for (const name of names) {
      await ignoreKubeStatus([404], () =>
        apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }),
      );
    }
    if (names.size > 0 && options.graceMs !== undefined) {
      // At least a second: 0 would remove the pods from the API before the kubelet has stopped them.
      const gracePeriodSeconds = Math.max(1, Math.ceil(options.graceMs / 1000));
      const pods = await this.listPods(namespace, deploymentSelector(this.instance, project, deploymentId));
      await Promise.all(
        pods.map((pod) =>
          ignoreKubeStatus([404], () =>
            core.deleteNamespacedPod({ name: pod.metadata?.name ?? '', namespace, gracePeriodSeconds }),
          ),
        ),
      );
    }
    const secrets = await core.listNamespacedSecret({ namespace, labelSelector: selector });
    const secretNames = new Set([envSecretName(project, deploymentId)]);
    for (const secret of secrets.items) {
      if (secret.metadata?.name && isOwned(this.instance, secret.metadata.labels))
        secretNames.add(secret.metadata.name);
    }
    for (const name of secretNames) await this.deleteOwnedSecret(namespace, name);
  }

  /**
   * Without `instance`: a rollout restart of the web process (what `kubectl rollout restart` does): new
   * pods replace the old ones, one at a time, each ready before an old one goes. With `instance`: that
   * pod is deleted (gracefully) and its ReplicaSet starts a new one; Kubernetes cannot restart a pod in
   * place.
   */
  async restart(project: string, deploymentId: string, instance?: InstanceRef): Promise<void> {
    const namespace = this.namespaceFor(project);
    if (instance) {
      const pod = await this.instancePod(project, deploymentId, instance);
      if (!pod?.metadata?.name) {
        throw notFound(
          `cannot restart ${instance.process} replica ${instance.replica} of ${deploymentName(project, deploymentId)}: no such pod in namespace ${namespace}`,
        );
      }
      const { core } = await this.apis();
      const name = pod.metadata.name;
      await ignoreKubeStatus([404], () => core.deleteNamespacedPod({ name, namespace }));
      return;
    }
    const name = deploymentName(project, deploymentId);
    const { apps, mergePatch } = await this.apis();
    const deployment = await this.readOwnedDeployment(namespace, name);
    if (!deployment) throw notFound(`cannot restart ${name}: no such Deployment in namespace ${namespace}`);
    const body = {
      spec: {
        template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: this.now().toISOString() } } },
      },
    };
    await apps.patchNamespacedDeployment({ name, namespace, body }, mergePatch);
  }

  /**
   * One status per pod of each process's Deployment, numbered per process (see `numberedPods`; web
   * replica 0 carries neither `process` nor `replica`, as the one instance did before processes); a
   * Deployment without a live pod (just created, scaled to zero, being deleted) is one status, replica
   * 0, with the Deployment's state, so no existing Deployment is ever missing from the list.
   */
  async list(filter: { project?: string } = {}): Promise<InstanceStatus[]> {
    const { apps, core } = await this.apis();
    const labels = filter.project ? projectLabels(this.instance, filter.project) : ownerLabels(this.instance);
    const selector = labelSelector(labels);
    const namespace = this.sharedNamespace ?? (filter.project ? this.namespaceFor(filter.project) : null);
    const [deployments, pods] = namespace
      ? await Promise.all([
          apps.listNamespacedDeployment({ namespace, labelSelector: selector }),
          core.listNamespacedPod({ namespace, labelSelector: selector }),
        ])
      : await Promise.all([
          apps.listDeploymentForAllNamespaces({ labelSelector: selector }),
          core.listPodForAllNamespaces({ labelSelector: selector }),
        ]);
    const podsByProcess = new Map<string, V1Pod[]>();
    const keyOf = (labels: Record<string, string> | undefined, namespace: string | undefined) =>
      `${namespace}/${labels?.[LABELS.deployment]}/${processOfLabels(labels)}`;
    for (const pod of pods.items) {
      if (!isOwned(this.instance, pod.metadata?.labels)) continue;
      const key = keyOf(pod.metadata?.labels, pod.metadata?.namespace);
      podsByProcess.set(key, [...(podsByProcess.get(key) ?? []), pod]);
    }
    const statuses: InstanceStatus[] = [];
    for (const deployment of deployments.items) {
      const instance = readInstanceLabels(this.instance, deployment.metadata?.labels);
      // Only where remove() and restart() find it again (not, e.g., in a namespace of an older format).
      if (!instance || deployment.metadata?.namespace !== this.namespaceFor(instance.project)) continue;
      const process = processOfLabels(deployment.metadata?.labels);
      const processPods =
        podsByProcess.get(keyOf(deployment.metadata?.labels, deployment.metadata?.namespace)) ?? [];
      const numbered = numberedPods(processPods);
      // Web replica 0 reads as the one instance did before processes: without process and replica.
      const ref = (replica: number) => (isPrimary({ process, replica }) ? {} : { process, replica });
      // No pod yet (being created, scaled to zero, being deleted): the Deployment's own state, replica 0.
      if (numbered.length === 0) {
        statuses.push({ ...instance, ...ref(0), ...instanceStatus(deployment, processPods) });
        continue;
      }
      numbered.forEach((pod, replica) => {
        statuses.push({ ...instance, ...ref(replica), ...podInstanceStatus(deployment, pod) });
      });
    }
    return statuses;
  }

  /**
   * Figures of one pod (`instance`, absent: web replica 0) from the metrics API (metrics.k8s.io); null
   * without a metrics server, or when that pod does not run.
   */
  async stats(project: string, deploymentId: string, instance?: InstanceRef): Promise<InstanceStats | null> {
    const namespace = this.namespaceFor(project);
    const labels = deploymentSelector(this.instance, project, deploymentId);
    const pod = await this.instancePod(project, deploymentId, instance ?? PRIMARY_INSTANCE);
    if (pod?.status?.phase !== 'Running') return null;
    const podName = pod.metadata?.name;
    const { custom } = await this.apis();
    // 404: no metrics API in this cluster; 503: its server is registered but not answering.
    const metrics = await ignoreKubeStatus([404, 503], () =>
      custom.listNamespacedCustomObject({
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        namespace,
        plural: 'pods',
        labelSelector: labelSelector(labels),
      }),
    );
    if (!metrics) return null;
    const items = (metrics as PodMetricsList).items?.filter((item) => item.metadata?.name === podName);
    return podStats({ items }, [pod]);
  }

  /**
   * Runs a command in the app container of one pod (`options.instance`, absent: web replica 0) through
   * the API server's pods/exec (see `execInPod`); the pod must be running.
   */
  async exec(project: string, deploymentId: string, options: ExecOptions): Promise<ExecSession> {
    const namespace = this.namespaceFor(project);
    const instance = options.instance ?? PRIMARY_INSTANCE;
    const pod = await this.instancePod(project, deploymentId, instance);
    const what = `${instance.process} replica ${instance.replica} of ${deploymentName(project, deploymentId)}`;
    if (!pod?.metadata?.name) throw notFound(`cannot exec in ${what}: no such pod in namespace ${namespace}`);
    if (pod.status?.phase !== 'Running') {
      throw preconditionFailed(
        `cannot exec in ${what}: pod ${pod.metadata.name} is ${pod.status?.phase ?? 'not running'}, not Running`,
      );
    }
    const { exec } = await this.apis();
    try {
      return await execInPod(exec, { namespace, pod: pod.metadata.name, container: CONTAINER_NAME }, options);
    } catch (error) {
      throw new Error(`could not exec in pod ${namespace}/${pod.metadata.name}: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * A one-off as a Job in the project's namespace (env from its own Secret, pull credentials like the
   * app's), awaited by polling; its pod's output is read once it ended (not live, unlike Docker). The
   * Job, its pod and the Secret are deleted in every case.
   */
  async runOneOff(spec: OneOffSpec, options: OneOffOptions): Promise<OneOffResult> {
    const namespace = this.namespaceFor(spec.project);
    const name = deploymentName(spec.project, spec.id);
    const { batch } = await this.apis();
    if (!this.sharedNamespace) await this.ensureNamespace(namespace, spec.project);
    const context = this.context(namespace);
    const credentials = (await this.pullAuth?.(spec.image, spec.project)) ?? null;
    const secretName = pullSecretName(spec.project, this.sharedNamespace !== null);
    if (credentials) {
      await this.upsertSecret(
        pullSecretManifest(credentials, { ...context, project: spec.project, name: secretName }),
      );
    }
    // A Job of the same one-off a crashed worker left behind goes first.
    await this.deleteOwnedJob(namespace, name);
    await this.upsertSecret(oneOffEnvSecretManifest(spec, context));
    const deadline = Date.now() + options.timeoutMs;
    try {
      const body = oneOffJobManifest(spec, {
        ...context,
        runAsNonRoot: this.runAsNonRoot,
        pullSecret: credentials !== null,
        pullSecretName: secretName,
        timeoutSeconds: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
      });
      try {
        await batch.createNamespacedJob({ namespace, body });
      } catch (error) {
        throw new Error(`could not create Job ${name} in namespace ${namespace}: ${kubeMessage(error)}`, {
          cause: error,
        });
      }
      for (;;) {
        if (options.signal?.aborted) return { outcome: 'cancelled' };
        if (Date.now() >= deadline) return { outcome: 'timedOut' };
        const [pod] = await this.listPods(namespace, {
          ...ownerLabels(this.instance),
          [LABELS.oneOff]: spec.id,
        });
        const state = pod?.status?.containerStatuses?.[0]?.state;
        const waiting = state?.waiting;
        if (pod && waiting?.reason && POD_FAILURE_REASONS.has(waiting.reason)) {
          throw new Error(
            `pod ${pod.metadata?.name} cannot start: ${waiting.reason}: ${waiting.message ?? ''}`,
          );
        }
        if (pod && state?.terminated) {
          const lines = await this.readPodLog(namespace, pod.metadata?.name ?? '', {
            tail: ONE_OFF_LOG_LINES,
          });
          for (const line of lines) await options.onOutput(line);
          return { outcome: 'exited', exitCode: state.terminated.exitCode };
        }
        try {
          await sleep(Math.min(ONE_OFF_POLL_MS, Math.max(0, deadline - Date.now())), undefined, {
            signal: options.signal,
          });
        } catch {
          return { outcome: 'cancelled' };
        }
      }
    } finally {
      await this.deleteOwnedJob(namespace, name);
      await this.deleteOwnedSecret(namespace, envSecretName(spec.project, spec.id));
    }
  }

  /**
   * Output of pods of the deployment (stdout and stderr merged, as the API serves them, all read as
   * `stdout`): the last `tail` lines, then new ones while `follow`, until the pods go or `signal` aborts.
   * With `instance`, that pod's; without, every web pod's merged (as before replicas: mid-rollout, the
   * old pod's and the new one's).
   */
  async *logs(
    project: string,
    deploymentId: string,
    options: { follow: boolean; tail: number; signal?: AbortSignal; instance?: InstanceRef },
  ): AsyncGenerator<LogLine> {
    const { signal, instance } = options;
    if (signal?.aborted) return;
    const namespace = this.namespaceFor(project);
    const name = processDeploymentName(project, deploymentId, instance?.process ?? WEB_PROCESS);
    const deployment = await this.readOwnedDeployment(namespace, name);
    if (!deployment) throw notFound(`no logs for ${name}: no such Deployment in namespace ${namespace}`);
    const selected = instance
      ? [await this.instancePod(project, deploymentId, instance)]
      : await this.processPods(namespace, project, deploymentId, WEB_PROCESS);
    if (instance && !selected[0]) {
      throw notFound(
        `no logs for ${instance.process} replica ${instance.replica} of ${deploymentName(project, deploymentId)}: no such pod in namespace ${namespace}`,
      );
    }
    const pods = selected.map((pod) => pod?.metadata?.name).filter((pod): pod is string => Boolean(pod));
    const tail = Math.max(0, options.tail);
    if (!options.follow) {
      if (tail === 0) return;
      const perPod = await Promise.all(pods.map((pod) => this.readPodLog(namespace, pod, { tail })));
      if (signal?.aborted) return;
      yield* mergeByTime(perPod, tail);
      return;
    }
    const since = this.now();
    // Also ends the requests when the caller stops reading early.
    const stopped = new AbortController();
    const stop = () => stopped.abort();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      yield* mergeStreams(
        pods.map((pod) => this.followPodLog(namespace, pod, { tail, since, signal: stopped.signal })),
      );
    } finally {
      signal?.removeEventListener('abort', stop);
      stopped.abort();
    }
  }

  /**
   * Points the Service of the project's group `group` (its slug; absent: the default group, whose
   * Service is named after the project) at the pods of one deployment of that group, creating the
   * Service on first use. Called by routing once the new deployment is ready. Each group has its own
   * Service (see `serviceName`), so switching one group never moves another's traffic.
   */
  async setServiceTarget(project: string, deploymentId: string, port: number, group?: string): Promise<void> {
    const namespace = this.namespaceFor(project);
    const name = serviceName(project, group);
    const { core, mergePatch } = await this.apis();
    const target = deploymentName(project, deploymentId);
    const deployment = await this.readOwnedDeployment(namespace, target);
    if (!deployment) {
      throw notFound(
        `cannot route Service ${name} to ${target}: no such Deployment in namespace ${namespace}`,
      );
    }
    if (!belongsToGroup(deployment.metadata?.labels, project, group)) {
      throw new Error(
        `cannot route Service ${name} to ${target}: it runs for ${describeGroup(deployment.metadata?.labels)}, not for ${describeGroup(groupLabels(this.instance, project, group))}`,
      );
    }
    // The web Deployment's own selector: its pods only, with or without a process label.
    const selector = deployment.spec?.selector?.matchLabels;
    const manifest = serviceManifest(
      { project, group, deploymentId, port },
      this.context(namespace),
      selector,
    );
    const patch = async () => {
      const current = await core.readNamespacedService({ name, namespace });
      this.assertOwned(`Service ${namespace}/${name}`, current.metadata?.labels);
      this.assertGroup(`Service ${namespace}/${name}`, current.metadata?.labels, project, group);
      // A merge patch keeps what the cluster assigned (clusterIP); a PUT without it is refused.
      const body = {
        metadata: { labels: manifest.metadata?.labels },
        spec: serviceSpec({ project, deploymentId, port }, this.instance, selector),
      };
      await core.patchNamespacedService({ name, namespace, body }, mergePatch);
    };
    const created = await ignoreKubeStatus([409], () =>
      core.createNamespacedService({ namespace, body: manifest }),
    );
    if (!created) await patch();
  }

  /**
   * Deletes the Service of the project's group `group` (absent: the default group) when it is this
   * installation's and that group's; idempotent. Another project's Service of the same name stays.
   */
  async deleteService(project: string, group?: string): Promise<void> {
    const namespace = this.namespaceFor(project);
    const name = serviceName(project, group);
    const { core } = await this.apis();
    const service = await ignoreKubeStatus([404], () => core.readNamespacedService({ name, namespace }));
    const labels = service?.metadata?.labels;
    if (service && isOwned(this.instance, labels) && belongsToGroup(labels, project, group)) {
      await ignoreKubeStatus([404], () => core.deleteNamespacedService({ name, namespace }));
    }
  }

  /**
   * Removes everything Rise created for the project, and only that: its namespace when Rise created it
   * for the project, else (shared or pre-existing namespace) its Deployments, Secrets, Services and
   * Ingresses (every deployment group's).
   */
  async deleteProject(project: string): Promise<void> {
    const namespace = this.namespaceFor(project);
    const { apps, core, networking } = await this.apis();
    if (!this.sharedNamespace) {
      const current = await ignoreKubeStatus([404], () => core.readNamespace({ name: namespace }));
      if (!current) return;
      if (
        isOwned(this.instance, current.metadata?.labels) &&
        current.metadata?.labels?.[LABELS.project] === project
      ) {
        await ignoreKubeStatus([404], () =>
          core.deleteNamespace({ name: namespace, propagationPolicy: 'Background' }),
        );
        return;
      }
    }
    const selector = labelSelector(projectLabels(this.instance, project));
    const deployments = await apps.listNamespacedDeployment({ namespace, labelSelector: selector });
    for (const deployment of deployments.items) {
      const instance = readInstanceLabels(this.instance, deployment.metadata?.labels);
      if (instance?.project === project) await this.remove(project, instance.deploymentId);
    }
    const secrets = await core.listNamespacedSecret({ namespace, labelSelector: selector });
    for (const secret of secrets.items) {
      const name = secret.metadata?.name;
      if (name && isOwned(this.instance, secret.metadata?.labels)) {
        await ignoreKubeStatus([404], () => core.deleteNamespacedSecret({ name, namespace }));
      }
    }
    // Every group's Ingresses and Service, whether or not their routes were removed first (a shared
    // namespace's handshake Service has no project label: other projects' Ingresses use it).
    const ingresses = await networking.listNamespacedIngress({ namespace, labelSelector: selector });
    for (const ingress of ingresses.items) {
      const name = ingress.metadata?.name;
      const labels = ingress.metadata?.labels;
      if (name && isOwned(this.instance, labels) && labels?.[LABELS.project] === project) {
        await ignoreKubeStatus([404], () => networking.deleteNamespacedIngress({ name, namespace }));
      }
    }
    const claims = await core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector: selector });
    for (const claim of claims.items) {
      const name = claim.metadata?.name;
      const labels = claim.metadata?.labels;
      if (name && isOwned(this.instance, labels) && claimProject(labels) === project) {
        await ignoreKubeStatus([404], () => core.deleteNamespacedPersistentVolumeClaim({ name, namespace }));
      }
    }
    const services = await core.listNamespacedService({ namespace, labelSelector: selector });
    for (const service of services.items) {
      const name = service.metadata?.name;
      const labels = service.metadata?.labels;
      if (name && isOwned(this.instance, labels) && labels?.[LABELS.project] === project) {
        await ignoreKubeStatus([404], () => core.deleteNamespacedService({ name, namespace }));
      }
    }
  }

  /** Deletes the project volume's claim (and, by the default reclaim policy, its data); idempotent. */
  async removeVolume(project: string, volume: string): Promise<void> {
    const namespace = this.namespaceFor(project);
    const name = claimName(project, volume);
    const { core } = await this.apis();
    const claim = await ignoreKubeStatus([404], () =>
      core.readNamespacedPersistentVolumeClaim({ name, namespace }),
    );
    if (!claim) return;
    this.assertOwned(`PersistentVolumeClaim ${namespace}/${name}`, claim.metadata?.labels);
    await ignoreKubeStatus([404], () => core.deleteNamespacedPersistentVolumeClaim({ name, namespace }));
  }

  /** Creates the volume's claim when missing; an existing one keeps its size (and data). */
  private async ensureClaim(project: string, volume: InstanceVolume, namespace: string): Promise<void> {
    const { core } = await this.apis();
    const name = claimName(project, volume.name);
    const current = await ignoreKubeStatus([404], () =>
      core.readNamespacedPersistentVolumeClaim({ name, namespace }),
    );
    if (current) {
      this.assertOwned(`PersistentVolumeClaim ${namespace}/${name}`, current.metadata?.labels);
      if (
        current.metadata?.labels?.[VOLUME_LABEL] !== volume.name ||
        claimProject(current.metadata?.labels) !== project
      ) {
        throw new Error(`PersistentVolumeClaim ${namespace}/${name} belongs to another project volume`);
      }
      return;
    }
    const body = claimManifest(project, volume, this.context(namespace));
    await ignoreKubeStatus([409], () => core.createNamespacedPersistentVolumeClaim({ namespace, body }));
  }

  private context(namespace: string): ManifestContext {
    return { instance: this.instance, namespace, extraLabels: this.extraLabels };
  }

  /** Creates the project's namespace when missing; refuses one another installation owns. */
  private async ensureNamespace(name: string, project: string): Promise<void> {
    const { core } = await this.apis();
    const current = await ignoreKubeStatus([404], () => core.readNamespace({ name }));
    if (current) return this.checkNamespace(current, project);
    const created = await ignoreKubeStatus([409], () =>
      core.createNamespace({
        body: namespaceManifest(name, { instance: this.instance, project, extraLabels: this.extraLabels }),
      }),
    );
    if (!created) this.checkNamespace(await core.readNamespace({ name }), project);
  }

  private checkNamespace(namespace: V1Namespace, project: string): void {
    const name = namespace.metadata?.name;
    const labels = namespace.metadata?.labels;
    // A namespace without Rise's label was made by an administrator (quotas, policies): Rise uses it.
    if (labels?.[LABELS.managedBy] === MANAGER) {
      this.assertOwned(`namespace ${name}`, labels);
      if (labels[LABELS.project] && labels[LABELS.project] !== project) {
        throw new ForeignObjectError(
          `namespace ${name} belongs to project ${labels[LABELS.project]}, not ${project}; not touching it`,
        );
      }
    }
    if (namespace.status?.phase === 'Terminating') {
      throw new Error(`namespace ${name} is being deleted; try again once it is gone`);
    }
  }

  /** The Deployment, or null when missing; refuses one that is not this installation's. */
  private async readOwnedDeployment(namespace: string, name: string): Promise<V1Deployment | null> {
    const { apps } = await this.apis();
    const deployment = await ignoreKubeStatus([404], () =>
      apps.readNamespacedDeployment({ name, namespace }),
    );
    if (deployment) this.assertOwned(`Deployment ${namespace}/${name}`, deployment.metadata?.labels);
    return deployment;
  }

  private assertOwned(what: string, labels: Record<string, string> | undefined): void {
    if (!isOwned(this.instance, labels)) {
      throw new ForeignObjectError(
        `${what} exists but ${ownerProblem(this.instance, labels)}; not touching it`,
      );
    }
  }

  /** Refuses an object of this installation that serves another project or group (see `serviceName`). */
  private assertGroup(
    what: string,
    labels: Record<string, string> | undefined,
    project: string,
    group?: string,
  ): void {
    if (!belongsToGroup(labels, project, group)) {
      throw new ForeignObjectError(
        `${what} exists but serves ${describeGroup(labels)}, not ${describeGroup(groupLabels(this.instance, project, group))}; not touching it (rename that project, or deploy under another group name)`,
      );
    }
  }

  /** Creates or replaces a Secret of this installation; refuses to overwrite anyone else's. */
  private async upsertSecret(body: V1Secret): Promise<void> {
    const { core } = await this.apis();
    const name = body.metadata?.name ?? '';
    const namespace = body.metadata?.namespace ?? '';
    const replace = async () => {
      const current = await core.readNamespacedSecret({ name, namespace });
      this.assertOwned(`Secret ${namespace}/${name}`, current.metadata?.labels);
      await core.replaceNamespacedSecret({ name, namespace, body });
    };
    const current = await ignoreKubeStatus([404], () => core.readNamespacedSecret({ name, namespace }));
    if (current) return replace();
    const created = await ignoreKubeStatus([409], () => core.createNamespacedSecret({ namespace, body }));
    if (!created) await replace();
  }

  /** Deletes a Job of this installation and, in the background, its pods; a missing one is fine. */
  private async deleteOwnedJob(namespace: string, name: string): Promise<void> {
    const { batch } = await this.apis();
    const job = await ignoreKubeStatus([404], () => batch.readNamespacedJob({ name, namespace }));
    if (!job) return;
    this.assertOwned(`Job ${namespace}/${name}`, job.metadata?.labels);
    await ignoreKubeStatus([404], () =>
      batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }),
    );
  }

  private async deleteOwnedSecret(namespace: string, name: string): Promise<void> {
    const { core } = await this.apis();
    const secret = await ignoreKubeStatus([404], () => core.readNamespacedSecret({ name, namespace }));
    if (!secret) return;
    this.assertOwned(`Secret ${namespace}/${name}`, secret.metadata?.labels);
    await ignoreKubeStatus([404], () => core.deleteNamespacedSecret({ name, namespace }));
  }

  /** The pods of one process of a deployment (web's include those without a process label). */
  private async processPods(
    namespace: string,
    project: string,
    deploymentId: string,
    process: string,
  ): Promise<V1Pod[]> {
    const pods = await this.listPods(namespace, deploymentSelector(this.instance, project, deploymentId));
    return pods.filter((pod) => processOfLabels(pod.metadata?.labels) === process);
  }

  /** The pod `list()` reports as `instance` (see `numberedPods`), or null when there is none. */
  private async instancePod(
    project: string,
    deploymentId: string,
    instance: InstanceRef,
  ): Promise<V1Pod | null> {
    const namespace = this.namespaceFor(project);
    const pods = await this.processPods(namespace, project, deploymentId, instance.process);
    return numberedPods(pods)[instance.replica] ?? null;
  }

  private async listPods(namespace: string, labels: Record<string, string>): Promise<V1Pod[]> {
    const { core } = await this.apis();
    const pods = await core.listNamespacedPod({ namespace, labelSelector: labelSelector(labels) });
    return pods.items
      .filter((pod) => isOwned(this.instance, pod.metadata?.labels))
      .sort(
        (a, b) =>
          (a.metadata?.creationTimestamp?.getTime() ?? 0) - (b.metadata?.creationTimestamp?.getTime() ?? 0),
      );
  }

  /** The last lines of one pod; none while its container has not started (the API answers 400). */
  private async readPodLog(
    namespace: string,
    pod: string,
    options: { tail: number; previous?: boolean },
  ): Promise<LogLine[]> {
    const { core } = await this.apis();
    const text = await ignoreKubeStatus([400, 404], () =>
      core.readNamespacedPodLog({
        name: pod,
        namespace,
        container: CONTAINER_NAME,
        tailLines: options.tail,
        timestamps: true,
        previous: options.previous,
      }),
    );
    return text ? parsePodLog(text) : [];
  }

  /** Follows one pod's log until the pod goes (the API ends the response) or `signal` aborts. */
  private async *followPodLog(
    namespace: string,
    pod: string,
    options: { tail: number; since: Date; signal?: AbortSignal },
  ): AsyncGenerator<LogLine> {
    const { log } = await this.apis();
    const { signal, tail, since } = options;
    const sink = new PassThrough();
    // The client pipes the response into `sink` and leaves the response's errors (an abort) unhandled.
    sink.on('pipe', (source) => source.on('error', () => sink.end()));
    let controller: AbortController;
    try {
      controller = await log.log(namespace, pod, CONTAINER_NAME, sink, {
        follow: true,
        timestamps: true,
        // The client leaves out tailLines=0 (all lines): ask for lines since now instead.
        ...(tail > 0 ? { tailLines: tail } : { sinceTime: secondsPrecision(since) }),
      });
    } catch (error) {
      // The pod went, or its container has not started yet: nothing to follow.
      if ([400, 404].includes(kubeStatus(error) ?? 0) || signal?.aborted) return;
      throw new Error(`could not follow the log of pod ${namespace}/${pod}: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
    const stop = () => {
      controller.abort();
      sink.end();
    };
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const line of readPodLogLines(sink)) {
        // sinceTime has one-second precision; drop what was written before the call.
        if (tail === 0 && line.time && line.time < since) continue;
        yield line;
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      controller.abort();
    }
  }

  private async crashLogs(namespace: string, pod: string): Promise<string> {
    try {
      let lines = await this.readPodLog(namespace, pod, { tail: CRASH_LOG_LINES, previous: true });
      if (lines.length === 0) lines = await this.readPodLog(namespace, pod, { tail: CRASH_LOG_LINES });
      if (lines.length === 0) return '\n(no log output)';
      return `\nlast ${lines.length} log lines:\n${lines.map((line) => line.line).join('\n')}`;
    } catch {
      // The report stays useful without the logs.
      return '';
    }
  }
}

/** An object with Rise's name that this installation does not own: Rise leaves it alone. */
export class ForeignObjectError extends Error {
  override name = 'ForeignObjectError';
}

/** `project shop`, `group mr--26 of project shop`: whom an object's labels say it serves. */
function describeGroup(labels: Record<string, string> | undefined): string {
  const project = labels?.[LABELS.project] ?? '(none)';
  const group = labels?.[LABELS.group];
  return group ? `group ${group} of project ${project}` : `project ${project}`;
}

function secondsPrecision(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}

/** Yields the items of several async iterables as they arrive; ends when all have ended. */
async function* mergeStreams<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const next = (index: number) => {
    const iterator = iterators[index];
    if (iterator)
      pending.set(
        index,
        iterator.next().then((result) => ({ index, result })),
      );
  };
  iterators.forEach((_, index) => {
    next(index);
  });
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) pending.delete(index);
      else {
        next(index);
        yield result.value;
      }
    }
  } finally {
    // Not awaited: a source blocked on a read finishes when its request is aborted (see logs()).
    for (const iterator of iterators) void iterator.return?.()?.catch(() => {});
  }
}
