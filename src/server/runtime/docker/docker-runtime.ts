import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { dockerClient } from '@/server/docker/docker-client';
import { dockerMessage, dockerStatus, ignoreStatus } from '@/server/docker/docker-errors';
import { ProjectNetworks } from '@/server/docker/docker-network';
import { ensureImage, type PullAuth } from '@/server/docker/image-pull';
import {
  DEFAULT_LABEL_PREFIX,
  isManaged,
  labelKeys,
  managedLabel,
  type RiseLabels,
  slotAlias,
} from '@/server/docker/labels';
import { notFound } from '@/server/errors';
import { probeSchedule } from '../probe-schedule';
import {
  type ExecOptions,
  type ExecSession,
  type ExitWatch,
  type HealthCheck,
  type HealthProbeResult,
  type HealthResult,
  HostPortInUseError,
  type InstanceRef,
  type InstanceSpec,
  type InstanceState,
  type InstanceStats,
  type InstanceStatus,
  type LogLine,
  type OneOffOptions,
  type OneOffResult,
  type OneOffSpec,
  type ProbedInstance,
  processOf,
  type Runtime,
  replicaOf,
  WEB_PROCESS,
} from '../types';
import { execInContainer } from './container-exec';
import { watchContainerExits } from './container-exits';
import { containerCreateOptions, RESTART_POLICY } from './container-spec';
import { type DockerStatsAnswer, instanceStatsOf } from './container-stats';
import { HostPorts } from './host-ports';
import { probeHttp } from './http-probe';
import { containerName, readInstanceLabels } from './instance-labels';
import { readLogFrames } from './log-stream';
import { runOneOffContainer } from './one-off';
import { ProjectVolumes } from './project-volumes';
import { DockerVolumeArchiver } from './volume-archiver';

export type DockerRuntimeOptions = {
  docker?: Dockerode;
  /**
   * RISE_DOCKER_NETWORK: each project's apps (and databases) join their own bridge network
   * `<network>-<project>`, where its slot aliases resolve; nothing joins `<network>` itself any more.
   */
  network: string;
  /** RISE_DOCKER_SUBNET_POOL: project networks get a free /24 of it; unset lets Docker choose. */
  subnetPool?: string | null;
  /** RISE_DOCKER_ATTACH_CONTAINERS: containers connected to every project network (Caddy, the worker). */
  attachContainers?: readonly string[];
  /** How the proxy reaches apps: published ports on 127.0.0.1 (`host`) or slot aliases (`network`). */
  upstreamMode: 'host' | 'network';
  /** Prefix of Rise's labels; `dev.rise` gives `dev.rise.managed-by=rise`. */
  labelPrefix?: string;
  /**
   * The installation owning the containers (`dev.rise.managed-by=<instance>`, default `rise`): Rise
   * lists and removes only its own, so several installations (or test runs) can share one engine.
   */
  instance?: string;
  /** Added to every container and network created (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
  /** The prefix of this installation's project networks before `network` (migrated by `prepare`). */
  formerNetwork?: string | null;
  /** Credentials for pulling an image, e.g. the worker's for Rise's own registry. */
  pullAuth?: PullAuth;
};

const DEFAULT_GRACE_MS = 10_000;
/** How the engine says a published port is taken: by another container, or by a listener on the host. */
const PORT_TAKEN = /port is already allocated|address already in use/i;
const RESTART_GRACE_SECONDS = 10;
const CRASH_LOG_LINES = 20;
const CRASHES_TOLERATED_WHILE_STARTING = 1;

const DOCKER_STATES: Record<string, InstanceState> = {
  created: 'created',
  running: 'running',
  // Rise never pauses containers; a paused one still holds its slot.
  paused: 'running',
  restarting: 'restarting',
  exited: 'exited',
  removing: 'dead',
  dead: 'dead',
};

export class DockerRuntime implements Runtime {
  readonly name = 'docker';
  readonly network: string;
  readonly upstreamMode: 'host' | 'network';
  private readonly docker: Dockerode;
  private readonly labels: RiseLabels;
  private readonly extraLabels: Record<string, string>;
  private readonly pullAuth?: PullAuth;
  private readonly networks: ProjectNetworks;
  private readonly volumes: ProjectVolumes;
  /** The engine's memory, which it reports as the limit of containers without one. */
  private hostMemory: number | undefined;

  constructor(options: DockerRuntimeOptions) {
    this.docker = options.docker ?? dockerClient();
    this.network = options.network;
    this.upstreamMode = options.upstreamMode;
    this.labels = labelKeys(options.labelPrefix ?? DEFAULT_LABEL_PREFIX, options.instance);
    this.extraLabels = options.extraLabels ?? {};
    this.pullAuth = options.pullAuth;
    this.networks = new ProjectNetworks({
      docker: this.docker,
      base: options.network,
      labels: this.labels,
      extraLabels: this.extraLabels,
      subnetPool: options.subnetPool ?? null,
      attach: options.attachContainers ?? [],
      formerBase: options.formerNetwork ?? null,
    });
    this.volumes = new ProjectVolumes(this.docker, this.labels, this.extraLabels);
  }

  /** Follows the engine's `die` events of this installation's app containers (see container-exits.ts). */
  watchExits(watch: ExitWatch): () => void {
    return watchContainerExits(this.docker, this.labels, watch);
  }

  /** The network of a project's apps and databases: `<network>-<project>`. */
  projectNetwork(project: string): string {
    return this.networks.nameOf(project);
  }

  /** Where the proxy dials a slot: `127.0.0.1:<hostPort>` (host mode) or `rise-<project>-<slot>:<port>`. */
  upstreamAddress(spec: InstanceSpec): string {
    if (this.upstreamMode === 'network')
      return `${slotAlias(spec.project, spec.slot, spec.group)}:${spec.port}`;
    if (spec.hostPort === null) throw new Error(hostPortMissing(spec));
    return `127.0.0.1:${spec.hostPort}`;
  }

  /**
   * Where Rise reaches a running instance itself, as the health check does (`ip:port` on its
   * network, or 127.0.0.1:<hostPort>); null when it does not run. Nothing is restarted.
   */
  async instanceAddress(
    instance: Pick<InstanceSpec, 'project' | 'deploymentId' | 'port' | 'hostPort'>,
  ): Promise<string | null> {
    const target = await this.probeTarget(instance);
    return 'address' in target ? target.address : null;
  }

  /** Which host ports can take a slot (nothing listens there, no container of the engine publishes them). */
  hostPorts(): HostPorts {
    return new HostPorts(this.docker, this.labels);
  }

  /**
   * Moves containers left on the shared network by an older Rise to their project networks, and
   * project networks named with a former prefix to their current name.
   */
  async prepare(): Promise<void> {
    await this.networks.migrateShared();
    await this.networks.migrateFormer();
  }

  /**
   * Removes the project's volumes and network (its containers must be gone: removed, or a database
   * being removed). Database volumes are the database host's, removed with each database.
   */
  async deleteProject(project: string): Promise<void> {
    await this.volumes.removeAll(project);
    await this.networks.remove(project);
  }

  async removeVolume(project: string, volume: string): Promise<void> {
    await this.volumes.remove(project, volume);
  }

  /** The Docker volumes of a project's `rise volume`s (tests, backups). */
  projectVolumeNames(project: string): Promise<string[]> {
    return this.volumes.namesOf(project);
  }

  /** What volume backups need of this engine: names, scratch volumes and a helper-container archiver. */
  volumeBackupAccess(helperImage: string) {
    return {
      archiver: new DockerVolumeArchiver(this.docker, this.labels, helperImage, this.extraLabels),
      volumeName: (project: string, volume: string) => this.volumes.nameOf(project, volume),
      scratchVolume: (project: string) => this.volumes.createScratch(project),
    };
  }

  async removeOrphanProjects(existing: () => Promise<ReadonlySet<string>>): Promise<string[]> {
    return this.networks.removeOrphans(existing);
  }

  async start(spec: InstanceSpec): Promise<void> {
    const instances = replicasOf(spec, this.upstreamMode);
    await ensureImage(this.docker, spec.image, this.pullAuth, spec.project);
    const network = await this.networks.ensure(spec.project);
    const mounts = await this.volumes.ensure(spec.project, spec.volumes ?? []);
    // A retried job finds the containers of its previous attempt (of any replica count): replace them.
    const existing = await this.deploymentContainers(spec.project, spec.deploymentId);
    await Promise.all(
      existing
        .filter(({ ref }) => ref.process === processOf(spec))
        .map(({ name }) => this.removeContainer(name, 0)),
    );
    for (const instance of instances) await this.startInstance(instance, network, mounts);
  }

  /**
   * Runs exactly `spec.replicas` instances of the process: replicas above that number are removed,
   * missing ones started; running ones are left alone.
   */
  async scale(spec: InstanceSpec, options: { graceMs?: number } = {}): Promise<void> {
    const wanted = replicasOf(spec, this.upstreamMode);
    const mine = (await this.deploymentContainers(spec.project, spec.deploymentId)).filter(
      ({ ref }) => ref.process === processOf(spec),
    );
    const surplus = mine.filter(({ ref }) => ref.replica >= wanted.length);
    await Promise.all(
      surplus.map(({ name }) => this.removeContainer(name, options.graceMs ?? DEFAULT_GRACE_MS)),
    );
    const missing = wanted.filter((instance) => !mine.some(({ ref }) => ref.replica === instance.replica));
    if (missing.length === 0) return;
    await ensureImage(this.docker, spec.image, this.pullAuth, spec.project);
    const network = await this.networks.ensure(spec.project);
    const mounts = await this.volumes.ensure(spec.project, spec.volumes ?? []);
    for (const instance of missing) await this.startInstance(instance, network, mounts);
  }

  private async startInstance(
    instance: ReplicaSpec,
    network: string,
    mounts: Dockerode.MountSettings[],
  ): Promise<void> {
    const name = containerName(instance.project, instance.deploymentId, instance);
    await this.removeContainer(name, 0);
    const container = await this.create(name, instance, network, mounts);
    try {
      await container.start();
    } catch (error) {
      await ignoreStatus([404, 409], () => container.remove({ force: true }));
      const message = dockerMessage(error);
      if (instance.hostPort !== null && PORT_TAKEN.test(message)) {
        throw new HostPortInUseError(instance.hostPort, `container ${name} could not publish it: ${message}`);
      }
      throw new Error(`could not start container ${name}: ${message}`, { cause: error });
    }
  }

  /**
   * The app containers of a deployment (every replica of every process, whatever their state; not its
   * one-offs, which carry no slot), read from the engine's listing alone.
   */
  private async deploymentContainers(
    project: string,
    deploymentId: string,
  ): Promise<{ name: string; ref: InstanceRef }[]> {
    const summaries = await this.docker.listContainers({
      all: true,
      filters: {
        label: [
          managedLabel(this.labels),
          `${this.labels.project}=${project}`,
          `${this.labels.deployment}=${deploymentId}`,
        ],
      },
    });
    return summaries.flatMap((summary) => {
      const instance = readInstanceLabels(this.labels, summary.Labels);
      if (!instance) return [];
      const ref = refOf(instance);
      return [{ name: containerName(project, deploymentId, ref), ref }];
    });
  }

  /** Every replica healthy; the first that is not ends the wait (the others' probes are stopped). */
  async waitHealthy(spec: InstanceSpec, check: HealthCheck): Promise<HealthResult> {
    const instances = replicasOf(spec, this.upstreamMode);
    if (instances.length === 1) return this.waitReplicaHealthy(instances[0] as ReplicaSpec, check);
    const failed = new AbortController();
    const signal = check.signal ? AbortSignal.any([check.signal, failed.signal]) : failed.signal;
    const results = await Promise.all(
      instances.map(async (instance) => {
        const result = await this.waitReplicaHealthy(instance, { ...check, signal });
        if (!result.healthy) failed.abort();
        return { instance, result };
      }),
    );
    const first =
      results.find(({ result }) => !result.healthy && result.error !== 'cancelled') ??
      results.find(({ result }) => !result.healthy);
    if (!first || first.result.healthy) return { healthy: true };
    return instances.length > 1 && first.result.error !== 'cancelled'
      ? { healthy: false, error: `replica ${first.instance.replica}: ${first.result.error}` }
      : first.result;
  }

  private async waitReplicaHealthy(spec: ReplicaSpec, check: HealthCheck): Promise<HealthResult> {
    const name = containerName(spec.project, spec.deploymentId, spec);
    let lastError = 'no probe was made';
    const schedule = probeSchedule(check);
    // Docker never restarts an app (RESTART_POLICY): a crash while starting (a dependency not up yet)
    // is tolerated here, by starting the container again.
    let restarts = 0;
    for (;;) {
      if (check.signal?.aborted) return { healthy: false, error: 'cancelled' };
      const target = await this.probeTarget(spec);
      if ('exited' in target) {
        if (restarts >= CRASHES_TOLERATED_WHILE_STARTING || target.exited.State.Status === 'dead') {
          return { healthy: false, error: await this.crashReport(spec, target.exited, restarts) };
        }
        restarts++;
        await this.docker.getContainer(target.exited.Id).start();
        continue;
      }
      if ('failure' in target) return { healthy: false, error: target.failure };
      if (target.address === null) {
        lastError = `container ${name} has no address on network ${this.networks.nameOf(spec.project)} yet`;
      } else {
        const result = await probeHttp(`http://${target.address}${normalisePath(check.path)}`, {
          path: check.path,
          timeoutMs: check.timeoutMs,
          signal: check.signal,
        });
        if (result.ok) return { healthy: true };
        if (check.signal?.aborted) return { healthy: false, error: 'cancelled' };
        lastError = result.error;
      }
      const pause = schedule.next();
      if (pause === null) break;
      try {
        await sleep(pause, undefined, { signal: check.signal });
      } catch {
        return { healthy: false, error: 'cancelled' };
      }
    }
    // Out of time after restarting a crashed app: the crash is the news.
    const info = await ignoreStatus([404], () => this.docker.getContainer(name).inspect());
    if (info && restarts > 0) return { healthy: false, error: await this.crashReport(spec, info, restarts) };
    return { healthy: false, error: lastError };
  }

  async probeHealth(
    instance: ProbedInstance,
    check: { path: string; timeoutMs: number },
  ): Promise<HealthProbeResult> {
    const target = await this.probeTarget(instance);
    if ('failure' in target) return { state: 'not-running', reason: target.failure };
    if ('exited' in target) {
      const name = containerName(instance.project, instance.deploymentId);
      return { state: 'not-running', reason: `container ${name} is ${target.exited.State.Status}` };
    }
    if (target.address === null) {
      return {
        state: 'failing',
        error: `container ${containerName(instance.project, instance.deploymentId)} has no address on network ${this.networks.nameOf(instance.project)}`,
      };
    }
    const result = await probeHttp(`http://${target.address}${normalisePath(check.path)}`, check);
    return result.ok
      ? { state: 'passing', status: result.status }
      : { state: 'failing', error: result.error };
  }

  async remove(project: string, deploymentId: string, options: { graceMs?: number } = {}): Promise<void> {
    const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    const names = (await this.deploymentContainers(project, deploymentId)).map(({ name }) => name);
    const primary = containerName(project, deploymentId);
    // Also when listing missed it (a container being created right now by a retried job).
    if (!names.includes(primary)) names.push(primary);
    await Promise.all(names.map((name) => this.removeContainer(name, graceMs)));
  }

  async restart(project: string, deploymentId: string, instance?: InstanceRef): Promise<void> {
    const name = containerName(project, deploymentId, instance);
    const info = await this.inspectOwned(name);
    if (!info) throw notFound(`cannot restart ${name}: no such container`);
    const container = this.docker.getContainer(info.Id);
    // A container of an older Rise (restart policy `on-failure`) leaves restarts to the reconciler too.
    if (info.HostConfig.RestartPolicy?.Name !== RESTART_POLICY.Name) {
      await container.update({ RestartPolicy: RESTART_POLICY });
    }
    await container.restart({ t: RESTART_GRACE_SECONDS });
  }

  async list(filter: { project?: string } = {}): Promise<InstanceStatus[]> {
    const label = [managedLabel(this.labels)];
    if (filter.project) label.push(`${this.labels.project}=${filter.project}`);
    const summaries = await this.docker.listContainers({ all: true, filters: { label } });
    const statuses = await Promise.all(
      summaries.map(async (summary): Promise<InstanceStatus | null> => {
        const instance = readInstanceLabels(this.labels, summary.Labels);
        if (!instance) return null;
        const info = await ignoreStatus([404], () => this.docker.getContainer(summary.Id).inspect());
        if (!info || !isManaged(this.labels, info.Config.Labels)) return null;
        const state = DOCKER_STATES[info.State.Status] ?? 'dead';
        const stopped = state === 'exited' || state === 'dead' || state === 'restarting';
        return {
          ...instance,
          state,
          exitCode: stopped ? info.State.ExitCode : null,
          startedAt: dockerTime(info.State.StartedAt),
          finishedAt: dockerTime(info.State.FinishedAt),
        };
      }),
    );
    return statuses.filter((status): status is InstanceStatus => status !== null);
  }

  async stats(project: string, deploymentId: string, instance?: InstanceRef): Promise<InstanceStats | null> {
    const info = await this.inspectOwned(containerName(project, deploymentId, instance));
    if (!info?.State.Running) return null;
    const answer = await ignoreStatus([404, 409], () =>
      this.docker.getContainer(info.Id).stats({ stream: false }),
    );
    if (!answer) return null;
    this.hostMemory ??= (await this.docker.info()).MemTotal as number;
    return instanceStatsOf(answer as DockerStatsAnswer, info.RestartCount ?? 0, this.hostMemory);
  }

  async exec(project: string, deploymentId: string, options: ExecOptions): Promise<ExecSession> {
    const name = containerName(project, deploymentId, options.instance);
    const info = await this.inspectOwned(name);
    if (!info?.State.Running) throw notFound(`${name} is not running`);
    return execInContainer(this.docker, this.docker.getContainer(info.Id), options);
  }

  runOneOff(spec: OneOffSpec, options: OneOffOptions): Promise<OneOffResult> {
    return runOneOffContainer(
      {
        docker: this.docker,
        labels: this.labels,
        extraLabels: this.extraLabels,
        pullAuth: this.pullAuth,
        network: (project) => this.networks.ensure(project),
      },
      spec,
      options,
    );
  }

  async *logs(
    project: string,
    deploymentId: string,
    options: { follow: boolean; tail: number; signal?: AbortSignal; instance?: InstanceRef },
  ): AsyncGenerator<LogLine> {
    const { signal } = options;
    if (signal?.aborted) return;
    const name = containerName(project, deploymentId, options.instance);
    const info = await this.inspectOwned(name);
    if (!info) throw notFound(`no logs for ${name}: no such container`);
    const container = this.docker.getContainer(info.Id);
    const query = { stdout: true, stderr: true, timestamps: true, tail: Math.max(0, options.tail) };
    try {
      if (options.follow) {
        // Ends when the container stops (the engine closes the stream) or when `signal` aborts the request.
        const stream = await container.logs({ ...query, follow: true, abortSignal: signal });
        yield* readLogFrames(stream as AsyncIterable<Buffer>);
      } else {
        const buffer = await container.logs({ ...query, follow: false, abortSignal: signal });
        yield* readLogFrames([buffer]);
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }

  private async create(
    name: string,
    spec: ReplicaSpec,
    network: string,
    mounts: Dockerode.MountSettings[],
  ): Promise<Dockerode.Container> {
    const options = containerCreateOptions(name, spec, {
      network,
      labels: this.labels,
      extraLabels: this.extraLabels,
      mounts,
    });
    try {
      return await this.docker.createContainer(options);
    } catch (error) {
      // 409: a concurrent attempt recreated the name between our removal and this create.
      if (dockerStatus(error) === 409) {
        await this.removeContainer(name, 0);
        return await this.docker.createContainer(options);
      }
      if (dockerStatus(error) === 404) {
        throw new Error(`could not create container ${name}: ${dockerMessage(error)}`, { cause: error });
      }
      throw error;
    }
  }

  /** Stops (SIGTERM, SIGKILL after the grace period) and removes; a missing container is fine. */
  private async removeContainer(name: string, graceMs: number): Promise<void> {
    const info = await this.inspectOwned(name);
    if (!info) return;
    const container = this.docker.getContainer(info.Id);
    if (info.State.Running || info.State.Restarting) {
      // The engine counts the grace period in whole seconds.
      await ignoreStatus([304, 404], () => container.stop({ t: Math.ceil(Math.max(0, graceMs) / 1000) }));
    }
    // 409: removal already in progress (a concurrent remove).
    await ignoreStatus([404, 409], () => container.remove({ force: true }));
  }

  /** Inspects a container by name; null when missing; refuses containers without Rise's label. */
  private async inspectOwned(name: string): Promise<Dockerode.ContainerInspectInfo | null> {
    const info = await ignoreStatus([404], () => this.docker.getContainer(name).inspect());
    if (!info) return null;
    if (!isManaged(this.labels, info.Config.Labels)) {
      throw new Error(
        `container ${name} exists but is not managed by Rise (no ${managedLabel(this.labels)} label); not touching it`,
      );
    }
    return info;
  }

  /**
   * The address to probe, or why probing is pointless: the container is gone, exited for good, or is
   * crash-looping (one crash while starting is tolerated: the engine restarts it, e.g. a dependency
   * that was not up yet; the exit code is only known while it is down).
   */
  private async probeTarget(
    spec: ProbedInstance & Partial<InstanceRef>,
  ): Promise<{ address: string | null } | { failure: string } | { exited: Dockerode.ContainerInspectInfo }> {
    const name = containerName(spec.project, spec.deploymentId, refOf(spec));
    const info = await this.inspectOwned(name);
    if (!info) return { failure: `container ${name} does not exist` };
    const { State: state } = info;
    if (state.Status === 'exited' || state.Status === 'dead') return { exited: info };
    if (spec.hostPort !== null) return { address: `127.0.0.1:${spec.hostPort}` };
    const ip = info.NetworkSettings.Networks[this.networks.nameOf(spec.project)]?.IPAddress;
    return { address: ip ? `${ip}:${spec.port}` : null };
  }

  private async crashReport(
    spec: ReplicaSpec,
    info: Dockerode.ContainerInspectInfo,
    restarts: number,
  ): Promise<string> {
    const { State: state } = info;
    const name = containerName(spec.project, spec.deploymentId, spec);
    const stopped = state.Status === 'exited' || state.Status === 'dead';
    const verb = stopped ? 'exited' : 'crashed';
    const reasons = [
      // A running container's exit code is reset to 0; the last one is only known while it is down.
      stopped || state.Status === 'restarting' ? `exit code ${state.ExitCode}` : '',
      restarts > 0 ? `restarted ${restarts} ${restarts === 1 ? 'time' : 'times'}` : '',
      state.OOMKilled ? 'killed: out of memory' : '',
      state.Error ? `error: ${state.Error}` : '',
    ].filter(Boolean);
    const lines: string[] = [];
    try {
      const tail = { follow: false, tail: CRASH_LOG_LINES };
      for await (const entry of this.logs(spec.project, spec.deploymentId, { ...tail, instance: spec })) {
        lines.push(`${entry.stream}: ${entry.line}`);
      }
    } catch {
      // The report stays useful without the logs.
    }
    const logs =
      lines.length > 0 ? `\nlast ${lines.length} log lines:\n${lines.join('\n')}` : '\n(no log output)';
    return `container ${name} ${verb} before becoming healthy (${reasons.join(', ')})${logs}`;
  }
}

function hostPortMissing(spec: InstanceSpec, replica = 0): string {
  const which = replica === 0 ? '' : ` (web replica ${replica})`;
  return `instance ${spec.project}/${spec.deploymentId}${which} has no host port, which upstream mode 'host' needs`;
}

/** One replica's own spec: its process, number and host port (web in host mode only). */
type ReplicaSpec = InstanceSpec & InstanceRef;

/** The replicas `spec` asks for, each with where it publishes; refuses a web replica without a host port in host mode. */
function replicasOf(spec: InstanceSpec, upstreamMode: 'host' | 'network'): ReplicaSpec[] {
  const process = processOf(spec);
  const count = spec.replicas ?? 1;
  return Array.from({ length: count }, (_, replica) => {
    if (process !== WEB_PROCESS) return { ...spec, process, replica, hostPort: null };
    const hostPort = replica === 0 ? spec.hostPort : (spec.replicaHostPorts?.[replica - 1] ?? null);
    if (upstreamMode === 'host' && hostPort === null) throw new Error(hostPortMissing(spec, replica));
    return { ...spec, process, replica, hostPort };
  });
}

const refOf = (instance: { process?: string; replica?: number }): InstanceRef => ({
  process: processOf(instance),
  replica: replicaOf(instance),
});

function normalisePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** Docker reports "0001-01-01T00:00:00Z" for times that never happened. */
function dockerTime(value: string | undefined): Date | null {
  if (!value || value.startsWith('0001-')) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}
