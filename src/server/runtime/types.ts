/**
 * What Rise needs from a container runtime. Docker is the first adapter; Kubernetes, ECS and others
 * implement the same interface. Domains receive a Runtime as an argument and never import an adapter.
 */

/** Each project has two fixed upstream slots; a new version starts in the free one (blue/green). */
export type Slot = 'a' | 'b';

/** The process every project has: routed by the proxy and health-checked over HTTP. */
export const WEB_PROCESS = 'web';

/**
 * One instance of a deployment: replica `replica` (0-based) of process `process`. Absent where a
 * method takes one: web's replica 0, the instance every deployment has.
 */
export type InstanceRef = { process: string; replica: number };
export const PRIMARY_INSTANCE: InstanceRef = { process: WEB_PROCESS, replica: 0 };

export type InstanceSpec = {
  project: string;
  /**
   * The deployment group's slug (`mr--26` for `mr/26`, see `groupSlug`; absent: `default`). Slots are
   * per group: a group's two slots never share an alias, host port or Kubernetes Service with another
   * group's (see `groupKey`).
   */
  group?: string;
  deploymentId: string;
  slot: Slot;
  /**
   * The process these instances run (absent: `web`). `web` is routed and health-checked over HTTP;
   * any other process (a worker) gets no route, no alias and no host port, and is healthy when it
   * stays up (see `processStaysUp`). Each process of a deployment is started on its own.
   */
  process?: string;
  /**
   * How many instances of the process run (absent: 1): Docker runs one container per replica,
   * Kubernetes sets the process's Deployment's replicas.
   */
  replicas?: number;
  /**
   * Host mode, web with replicas > 1: where replicas 1…N-1 publish (replica 0 uses `hostPort`), in
   * replica order.
   */
  replicaHostPorts?: number[];
  /** Image reference, pinned by digest when known (`registry/app@sha256:…`). */
  image: string;
  /**
   * Port the app listens on inside the container. Runtimes tell the app as `PORT` in its environment
   * (overriding a `PORT` in `env`) and probe and route to this port.
   */
  port: number;
  env: Record<string, string>;
  cpuLimit: number | null;
  memoryLimitMb: number | null;
  /** Where the proxy reaches this slot when it runs on the host: 127.0.0.1:<hostPort>. */
  hostPort: number | null;
  /**
   * Host mode: the host ports of both of the project's slots. The idle slot's port is held for the
   * next deploy; runtimes on a shared engine show them so other installations leave them alone.
   */
  slotHostPorts?: number[];
  /** Health check path, for runtimes that probe the app themselves (Kubernetes probes); default `/`. */
  healthPath?: string;
  /**
   * The project's start command as an argument vector: it replaces the image's ENTRYPOINT and CMD
   * (Kubernetes: `command`, no `args`). Absent or empty: the image's own.
   */
  command?: string[];
  /**
   * The project's named volumes, mounted at their paths; the runtime creates a missing one (Docker: a
   * named volume; Kubernetes: a PersistentVolumeClaim) and keeps it across instances.
   */
  volumes?: InstanceVolume[];
};

export type InstanceVolume = {
  /** Unique in the project (a DNS label). */
  name: string;
  mountPath: string;
  /** A Kubernetes quantity (`1Gi`): the claim's request; Docker's local driver ignores it. */
  size: string;
};

/** What a one-off container runs as: a command of a project's image with the env its app gets. */
export type OneOffKind = 'release' | 'post-deploy' | 'run' | 'cron';

export type OneOffSpec = Pick<
  InstanceSpec,
  'project' | 'group' | 'deploymentId' | 'image' | 'port' | 'env' | 'cpuLimit' | 'memoryLimitMb'
> & {
  kind: OneOffKind;
  /** Unique among the project's one-offs; names the container (`rise-<project>-<id>`) or Job. */
  id: string;
  /** Argument vector; replaces the image's ENTRYPOINT and CMD. */
  command: string[];
};

export type OneOffOptions = {
  /** The one-off is killed after this long and the result says `timedOut`. */
  timeoutMs: number;
  /** Each line of its output, in order, as it comes. */
  onOutput(line: LogLine): void | Promise<void>;
  /** Aborting kills it (the result then says `cancelled`). */
  signal?: AbortSignal;
};

export type OneOffResult =
  | { outcome: 'exited'; exitCode: number }
  | { outcome: 'timedOut' }
  | { outcome: 'cancelled' };

export type InstanceState = 'created' | 'running' | 'restarting' | 'exited' | 'dead' | 'missing';

export type InstanceStatus = {
  project: string;
  /** The slug of the deployment group the instance runs for (absent: `default`). */
  group?: string;
  deploymentId: string;
  slot: Slot;
  /** The process the instance runs (absent: `web`) and its replica number (absent: 0). */
  process?: string;
  replica?: number;
  state: InstanceState;
  exitCode: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /**
   * Where the runtime restarts crashed instances itself (Kubernetes; on Docker, Rise does and this is
   * absent): how often it did, and the last crash. State `restarting` then means it backs off
   * (CrashLoopBackOff).
   */
  runtimeRestarts?: RuntimeRestarts;
};

export type RuntimeRestarts = {
  /** Restarts of the instance's containers (Kubernetes counts per pod and never resets the count). */
  count: number;
  lastExitCode: number | null;
  /** When the last crashed container ended; null when none did. */
  lastCrashAt: Date | null;
};

export type HealthCheck = {
  path: string;
  timeoutMs: number;
  intervalMs: number;
  /**
   * The check gives up after `attempts × intervalMs`. Runtimes may probe more often than every
   * `intervalMs` at first (see probe-schedule.ts), so a fresh app is seen healthy as soon as it answers.
   */
  attempts: number;
  signal?: AbortSignal;
};

export type HealthResult = { healthy: true } | { healthy: false; error: string };

/** Where a running instance is probed: what `probeHealth` needs of its InstanceSpec. */
export type ProbedInstance = Pick<InstanceSpec, 'project' | 'deploymentId' | 'port' | 'hostPort'>;

/**
 * One probe of a running instance's health path: passing (2xx/3xx), failing (a status >= 400, no
 * answer within the timeout, no connection), or not probed because the instance does not run.
 */
export type HealthProbeResult =
  | { state: 'passing'; status: number }
  | { state: 'failing'; error: string }
  | { state: 'not-running'; reason: string };

/** Resource figures of one running instance at one moment (`stats`). */
export type InstanceStats = {
  /** Share of one CPU core, in percent (200 = two cores busy); 0 on the first sample of some runtimes. */
  cpuPercent: number;
  memoryBytes: number;
  /** The memory limit the instance runs under; null when unknown or unlimited. */
  memoryLimitBytes: number | null;
  /** Cumulative bytes received and sent since the instance started (0 where the runtime does not tell). */
  networkRxBytes: number;
  networkTxBytes: number;
  /** Times the runtime restarted the instance in place. */
  restarts: number;
};

export type LogLine = { stream: 'stdout' | 'stderr'; line: string; time: Date | null };

/** A command to run in a running instance (`rise exec`, the dashboard's terminal). */
export type ExecOptions = {
  cmd: string[];
  /** Which instance of the deployment (absent: web replica 0). */
  instance?: InstanceRef;
  /** A terminal: one output stream (stdout), and `resize` applies. */
  tty: boolean;
  cols?: number;
  rows?: number;
};

/** A command running in an instance: its input, its output as it comes, its exit code when it ends. */
export type ExecSession = {
  write(data: Buffer): void;
  /** No more input (the command sees end of file). */
  endInput(): void;
  resize(cols: number, rows: number): Promise<void>;
  onOutput(listener: (stream: 'stdout' | 'stderr', data: Buffer) => void): void;
  /** Resolves with the command's exit code once it ended and its output was delivered. */
  exitCode: Promise<number>;
  /** Ends the session from Rise's side (the client left): closes the connection to the command. */
  close(): void;
};

/** An instance that stopped, as the runtime tells it when it happens (see `watchExits`). */
export type InstanceExit = {
  project: string;
  group?: string;
  deploymentId: string;
  slot: Slot;
  process?: string;
  replica?: number;
  /** null when the runtime does not tell. */
  exitCode: number | null;
};

export type ExitWatch = {
  onExit(exit: InstanceExit): void;
  /** Listening again after the runtime's event stream was lost: exits in between were not seen. */
  onResumed?(): void;
  log?(line: string): void;
};

export interface Runtime {
  readonly name: string;
  /** Creates or repairs shared resources; idempotent. */
  prepare(): Promise<void>;
  /**
   * Creates and starts `spec.replicas` instances of `spec.process` for the deployment; existing
   * instances of the same deployment and process are replaced (other processes are left alone).
   */
  start(spec: InstanceSpec): Promise<void>;
  /**
   * Makes exactly `spec.replicas` instances of `spec.process` run for the deployment, leaving running
   * replicas below that number untouched: missing ones are started, those above it removed (SIGTERM,
   * kill after `graceMs`). Scaling without a redeploy.
   */
  scale(spec: InstanceSpec, options?: { graceMs?: number }): Promise<void>;
  /**
   * Probes every replica of the (web) process over HTTP until each answers 2xx/3xx on `check.path`,
   * or attempts run out.
   */
  waitHealthy(spec: InstanceSpec, check: HealthCheck): Promise<HealthResult>;
  /**
   * Probes a running instance's health path once, as waitHealthy does, and changes nothing (a stopped
   * instance is reported, not restarted). Absent where the platform probes apps itself (Kubernetes:
   * readiness and liveness probes on the health path).
   */
  probeHealth?(
    instance: ProbedInstance,
    check: { path: string; timeoutMs: number },
  ): Promise<HealthProbeResult>;
  /**
   * Stops gracefully (SIGTERM, then kill after `graceMs`) and removes every instance of the
   * deployment, of every process; idempotent.
   */
  remove(project: string, deploymentId: string, options?: { graceMs?: number }): Promise<void>;
  /** Restarts a crashed instance in place (absent: web replica 0). */
  restart(project: string, deploymentId: string, instance?: InstanceRef): Promise<void>;
  /**
   * Instances Rise manages (by label), optionally of one project, one status per replica of each
   * process. Never anything else.
   */
  list(filter?: { project?: string }): Promise<InstanceStatus[]>;
  /**
   * Removes what the runtime keeps per project beyond its instances (Docker: the project's network;
   * Kubernetes: its namespace); idempotent.
   */
  deleteProject?(project: string): Promise<void>;
  /** Removes a project volume and its data (no instance may still mount it); idempotent. */
  removeVolume?(project: string, volume: string): Promise<void>;
  /**
   * Removes such per-project resources of projects that no longer exist; `existing` is asked after
   * the resources are listed (a project created meanwhile is in it). Returns what was removed.
   */
  removeOrphanProjects?(existing: () => Promise<ReadonlySet<string>>): Promise<string[]>;
  /**
   * Resource figures of one instance, read once; null when it is not running or the runtime has no
   * figures (Kubernetes without the metrics API).
   */
  stats(project: string, deploymentId: string, instance?: InstanceRef): Promise<InstanceStats | null>;
  /**
   * Runs a command in a running instance of a deployment (Docker's exec, Kubernetes' pods/exec).
   * Absent where the runtime cannot.
   */
  exec?(project: string, deploymentId: string, options: ExecOptions): Promise<ExecSession>;
  /**
   * Tells of instances that stop (crash, or are stopped on purpose) as it happens, until the returned
   * function is called; runtimes that restart apps themselves (Kubernetes) need not have it.
   */
  watchExits?(watch: ExitWatch): () => void;
  /**
   * Runs `spec.command` once in a new container of `spec.image` with the instance's env, network and
   * limits, streams its output, waits for it to end (or the timeout), and removes it in every case.
   */
  runOneOff(spec: OneOffSpec, options: OneOffOptions): Promise<OneOffResult>;
  /** Runtime output of one instance: the last `tail` lines, then new ones while `follow`. */
  logs(
    project: string,
    deploymentId: string,
    options: { follow: boolean; tail: number; signal?: AbortSignal; instance?: InstanceRef },
  ): AsyncIterable<LogLine>;
}

/** The process of an instance or spec, `web` when absent. */
export const processOf = (instance: { process?: string }): string => instance.process ?? WEB_PROCESS;
/** The replica number of an instance, 0 when absent. */
export const replicaOf = (instance: { replica?: number }): number => instance.replica ?? 0;
/** Whether the instance is the deployment's web replica 0. */
export const isPrimary = (instance: { process?: string; replica?: number }): boolean =>
  processOf(instance) === WEB_PROCESS && replicaOf(instance) === 0;

/**
 * The host port an instance was to publish is held by something else on the host (another
 * installation's container, an unrelated server) since it was given to the slot.
 */
export class HostPortInUseError extends Error {
  constructor(
    readonly port: number,
    detail: string,
  ) {
    super(`host port ${port} is already in use: ${detail}`);
    this.name = 'HostPortInUseError';
  }
}
