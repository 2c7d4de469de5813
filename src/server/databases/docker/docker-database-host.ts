import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type Dockerode from 'dockerode';
import { type EngineAdapter, engineAdapter, type RestorePlan } from '@/server/databases/engines';
import type {
  DatabaseContainerSpec,
  DatabaseHost,
  DatabaseTarget,
  LogLine,
  TableCount,
} from '@/server/databases/types';
import { dockerClient } from '@/server/docker/docker-client';
import { dockerMessage, dockerStatus, ignoreStatus } from '@/server/docker/docker-errors';
import { ProjectNetworks } from '@/server/docker/docker-network';
import { ensureImage } from '@/server/docker/image-pull';
import {
  DEFAULT_LABEL_PREFIX,
  DEFAULT_MANAGER,
  isManaged,
  labelKeys,
  managedLabel,
  type RiseLabels,
} from '@/server/docker/labels';
import { execOrThrow, runExec, streamExec } from './docker-exec';
import { putFile } from './put-file';
import { type SpooledFile, spoolToFile } from './spool';
import { waitReady } from './wait-ready';

export interface DockerDatabaseHostOptions {
  docker?: Dockerode;
  /**
   * RISE_DOCKER_NETWORK: a database joins its project's network `<network>-<project>` (created when
   * missing), the one the project's apps are on, and no other.
   */
  network: string;
  labelPrefix?: string;
  /** Value of the managed-by label (the Rise installation). */
  manager?: string;
  /** RISE_DOCKER_SUBNET_POOL, as for the Docker runtime. */
  subnetPool?: string | null;
  /** RISE_DOCKER_ATTACH_CONTAINERS, as for the Docker runtime. */
  attachContainers?: readonly string[];
  /** Added to every network created (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
}

const STOP_TIMEOUT_S = 30;
/** Inside the database container, for copies of dumps being checked. */
const SCRATCH_DIR = '/tmp';
const VERIFY_BASE_MS = 60_000;
const VERIFY_BYTES_PER_MS = 20_000;

/** Database containers on the local Docker engine; engine tools run inside them via docker exec. */
export class DockerDatabaseHost implements DatabaseHost {
  private readonly docker: Dockerode;
  private readonly labels: RiseLabels;
  private readonly networks: ProjectNetworks;

  constructor(options: DockerDatabaseHostOptions) {
    this.docker = options.docker ?? dockerClient();
    this.labels = labelKeys(options.labelPrefix ?? DEFAULT_LABEL_PREFIX, options.manager ?? DEFAULT_MANAGER);
    this.networks = new ProjectNetworks({
      docker: this.docker,
      base: options.network,
      labels: this.labels,
      extraLabels: options.extraLabels,
      subnetPool: options.subnetPool ?? null,
      attach: options.attachContainers ?? [],
    });
  }

  /** The network a project's databases (and apps) are on. */
  projectNetwork(project: string): string {
    return this.networks.nameOf(project);
  }

  async provision(
    spec: DatabaseContainerSpec,
    options: { signal?: AbortSignal; log?: LogLine } = {},
  ): Promise<{ containerId: string }> {
    const log = options.log ?? (() => {});
    const adapter = engineAdapter(spec.engine);
    const labels = this.labelsFor(spec);
    await ensureImage(this.docker, spec.image);
    // No project (a restore drill's scratch copy): no network, only docker exec reaches it.
    const network = spec.project === null ? 'none' : await this.networks.ensure(spec.project);
    // Creating a volume that exists returns it as it is: one of another installation would be mounted.
    if ((await this.volumeOwner(spec.volumeName)) === 'foreign') {
      throw new Error(
        `Docker volume ${spec.volumeName} exists but is not this installation's (${this.managedLabel()}); not using it. ` +
          'Another Rise installation on this engine may use the same names: give each its own RISE_INSTANCE_ID.',
      );
    }
    await this.docker.createVolume({ Name: spec.volumeName, Labels: labels });
    // A retried provision finds the container of its previous attempt; the volume keeps the data.
    await this.removeContainer(spec.host);
    log(`Creating container ${spec.host} (${spec.image})`);
    const container = await this.docker.createContainer(
      this.containerOptions(spec, adapter, labels, network),
    );
    await ignoreStatus([304], () => container.start());
    log(`Waiting for ${spec.engine} in ${spec.host} to accept connections`);
    await waitReady(container, `${spec.engine} in ${spec.host}`, adapter.readyChecks(spec.credentials), {
      signal: options.signal,
    });
    log(`${spec.host} is ready`);
    return { containerId: container.id };
  }

  async start(host: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    options.signal?.throwIfAborted();
    if (!(await this.inspectOwned(host))) throw new Error(`database container ${host} does not exist`);
    try {
      await ignoreStatus([304], () => this.docker.getContainer(host).start());
    } catch (error) {
      if (dockerStatus(error) === 404) throw new Error(`database container ${host} does not exist`);
      throw new Error(`could not start ${host}: ${dockerMessage(error)}`, { cause: error });
    }
  }

  async stop(host: string): Promise<void> {
    if (!(await this.inspectOwned(host))) return;
    await ignoreStatus([304, 404], () => this.docker.getContainer(host).stop({ t: STOP_TIMEOUT_S }));
  }

  /** Removes this installation's container (and volume); another installation's of the same name stay. */
  async remove(host: string, options: { removeVolume: boolean; volumeName: string }): Promise<void> {
    if (!(await this.isForeign(host))) await this.removeContainer(host);
    if (options.removeVolume && (await this.volumeOwner(options.volumeName)) === 'ours') {
      await ignoreStatus([404], () => this.docker.getVolume(options.volumeName).remove());
    }
  }

  async state(host: string): Promise<'running' | 'stopped' | 'missing'> {
    const info = await this.inspectOwned(host);
    if (!info) return 'missing';
    return info.State.Running ? 'running' : 'stopped';
  }

  async *dump(target: DatabaseTarget, options: { signal?: AbortSignal } = {}): AsyncIterable<Buffer> {
    const container = await this.runningContainer(target.host);
    const plan = engineAdapter(target.engine).dump(target.credentials, randomUUID());
    try {
      for (const command of plan.prepare) await execOrThrow(container, command, options);
      yield* streamExec(container, plan.stream, { signal: options.signal });
    } finally {
      for (const command of plan.cleanup) await runExec(container, command).catch(() => undefined);
    }
  }

  async restore(
    target: DatabaseTarget & { volumeName: string },
    dump: AsyncIterable<Buffer>,
    options: { signal?: AbortSignal; log?: LogLine } = {},
  ): Promise<void> {
    const log = options.log ?? (() => {});
    const adapter = engineAdapter(target.engine);
    const container = await this.runningContainer(target.host);
    const spooled = await spoolToFile(dump, options.signal);
    try {
      if (spooled.size === 0) throw new Error('the dump is empty');
      log(`Received the dump (${spooled.size} bytes)`);
      const plan = adapter.restore(target.credentials);
      if (plan.kind === 'stdin') {
        log(`Running ${plan.command.cmd[0]} in ${target.host}`);
        const run = streamExec(container, plan.command, {
          stdin: createReadStream(spooled.path),
          signal: options.signal,
        });
        for await (const _ of run) {
          // Output is not needed; reading it lets the tool finish.
        }
      } else {
        await this.replaceDataFile(container, target, adapter, plan, spooled, {
          signal: options.signal,
          log,
        });
      }
      log(`Restore into ${target.host} finished`);
    } finally {
      await spooled.dispose();
    }
  }

  async counts(target: DatabaseTarget): Promise<TableCount[]> {
    const adapter = engineAdapter(target.engine);
    const container = await this.runningContainer(target.host);
    return adapter.parseCounts(await execOrThrow(container, adapter.countsQuery(target.credentials)));
  }

  async query(target: DatabaseTarget, statement: string | string[]): Promise<string> {
    const container = await this.runningContainer(target.host);
    return execOrThrow(container, engineAdapter(target.engine).query(target.credentials, statement));
  }

  /** For engines that load a file at start (Redis' dump.rdb): verify, stop, swap the file, start, wait. */
  private async replaceDataFile(
    container: Dockerode.Container,
    target: DatabaseTarget,
    adapter: EngineAdapter,
    plan: Extract<RestorePlan, { kind: 'data-file' }>,
    spooled: SpooledFile,
    options: { signal?: AbortSignal; log: LogLine },
  ): Promise<void> {
    // Checked while the engine still runs on its current data: a bad file would make it start empty,
    // or not at all.
    if (!spooled.head.subarray(0, plan.magic.length).equals(Buffer.from(plan.magic))) {
      throw new Error(`the dump is not a ${target.engine} dump (it does not start with ${plan.magic})`);
    }
    await this.verifyDump(container, plan, spooled, options);
    options.log(`Stopping ${target.host}`);
    await ignoreStatus([304], () => container.stop({ t: STOP_TIMEOUT_S }));
    options.log(`Replacing ${plan.fileName} in ${adapter.dataDir}`);
    try {
      await putFile(container, adapter.dataDir, plan.fileName, spooled.path);
    } finally {
      options.log(`Starting ${target.host}`);
      await ignoreStatus([304], () => container.start());
    }
    await waitReady(
      container,
      `${target.engine} in ${target.host}`,
      adapter.readyChecks(target.credentials),
      {
        signal: options.signal,
      },
    );
  }

  private async verifyDump(
    container: Dockerode.Container,
    plan: Extract<RestorePlan, { kind: 'data-file' }>,
    spooled: SpooledFile,
    options: { signal?: AbortSignal; log: LogLine },
  ): Promise<void> {
    const copy = `rise-restore-${randomUUID()}`;
    const path = `${SCRATCH_DIR}/${copy}`;
    const check = plan.verify(path);
    options.log(`Checking the dump with ${check.cmd[0]}`);
    await putFile(container, SCRATCH_DIR, copy, spooled.path);
    try {
      // Debian's redis-check-rdb hangs on some corrupt files instead of failing: bound it by size.
      const timeoutMs = VERIFY_BASE_MS + Math.ceil(spooled.size / VERIFY_BYTES_PER_MS);
      const result = await runExec(container, check, { signal: options.signal, timeoutMs });
      if (result.exitCode !== 0) {
        const output = `${result.stdout}\n${result.stderr}`.trim().slice(-2000);
        throw new Error(`the dump failed ${check.cmd[0]} (exit code ${result.exitCode}): ${output}`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the dump failed')) throw error;
      throw new Error(`the dump could not be verified: ${error instanceof Error ? error.message : error}`, {
        cause: error,
      });
    } finally {
      await runExec(container, { cmd: ['rm', '-f', path] }).catch(() => undefined);
    }
  }

  private managedLabel(): string {
    return managedLabel(this.labels);
  }

  private ownedBy(labels: Record<string, string> | null | undefined): boolean {
    return isManaged(this.labels, labels);
  }

  /**
   * The container named `host`; null when there is none. Refuses one this installation did not make
   * (another installation on the same engine may use the same name): Rise never touches it.
   */
  private async inspectOwned(host: string): Promise<Dockerode.ContainerInspectInfo | null> {
    const info = await ignoreStatus([404], () => this.docker.getContainer(host).inspect());
    if (!info) return null;
    if (!this.ownedBy(info.Config.Labels)) {
      throw new Error(
        `container ${host} exists but is not this installation's (${this.managedLabel()}); not touching it. ` +
          'Another Rise installation on this engine may use the same names: give each its own RISE_INSTANCE_ID.',
      );
    }
    return info;
  }

  private async isForeign(host: string): Promise<boolean> {
    const info = await ignoreStatus([404], () => this.docker.getContainer(host).inspect());
    return !!info && !this.ownedBy(info.Config.Labels);
  }

  private async volumeOwner(name: string): Promise<'ours' | 'foreign' | 'missing'> {
    const volume = await ignoreStatus([404], () => this.docker.getVolume(name).inspect());
    if (!volume) return 'missing';
    return this.ownedBy(volume.Labels) ? 'ours' : 'foreign';
  }

  private labelsFor(spec: DatabaseContainerSpec): Record<string, string> {
    return {
      ...spec.labels,
      [this.labels.managedBy]: this.labels.manager,
      ...(spec.project === null ? {} : { [this.labels.project]: spec.project }),
      [this.labels.database]: spec.host,
    };
  }

  private containerOptions(
    spec: DatabaseContainerSpec,
    adapter: EngineAdapter,
    labels: Record<string, string>,
    network: string,
  ): Dockerode.ContainerCreateOptions {
    const env = adapter.containerEnv(spec.credentials);
    return {
      name: spec.host,
      Image: spec.image,
      Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
      Cmd: adapter.containerCmd(spec.credentials),
      Labels: labels,
      HostConfig: {
        Mounts: [{ Type: 'volume', Source: spec.volumeName, Target: adapter.dataDir }],
        RestartPolicy: { Name: 'unless-stopped' },
        NetworkMode: network,
        ...(spec.cpuLimit ? { NanoCpus: Math.round(spec.cpuLimit * 1e9) } : {}),
        ...(spec.memoryLimitMb ? { Memory: spec.memoryLimitMb * 1024 * 1024 } : {}),
      },
      ...(network === 'none'
        ? {}
        : { NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [spec.host] } } } }),
    };
  }

  /** Stops first so the engine shuts down cleanly (Redis saves its data set on shutdown). */
  private async removeContainer(host: string): Promise<void> {
    await this.stop(host);
    await ignoreStatus([404], () => this.docker.getContainer(host).remove({ force: true, v: false }));
  }

  /** The container, or an error that says whether it is missing or stopped. */
  private async runningContainer(host: string): Promise<Dockerode.Container> {
    const container = this.docker.getContainer(host);
    const info = await this.inspectOwned(host);
    if (!info) throw new Error(`database container ${host} does not exist`);
    if (!info.State.Running) throw new Error(`database container ${host} is not running`);
    return container;
  }
}
