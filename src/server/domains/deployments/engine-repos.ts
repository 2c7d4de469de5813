import type {
  DeploymentStatus,
  DeploymentTrigger,
  DesiredState,
  Slot,
  TerminationReason,
  Visibility,
} from '@/generated/prisma/enums';

/**
 * What the deploy engine (runDeployment, reconcile, stopProject) reads and writes in the database:
 * only the calls it makes, so an in-memory store (deployments/testing/) can stand in for PostgreSQL
 * in unit tests. The Prisma implementation is `deploymentEngineRepos` (engine.repo.ts).
 */
export type EngineRepos = {
  deployments: EngineDeploymentRepo;
  projects: EngineProjectRepo;
  routeState: RouteStateRepo;
};

/** A deployment row as the engine reads it. */
export type DeploymentRow = {
  id: string;
  projectId: string;
  status: DeploymentStatus;
  image: string | null;
  imageDigest: string | null;
  slot: Slot | null;
  restartCount: number;
  nextRestartAt: Date | null;
  /** Since when the app is crash-looping (see crash-loop.ts); null when it is not. */
  crashLoopSince: Date | null;
  /** When the last crash was recorded (see crash-loop.ts). */
  lastCrashAt: Date | null;
  updatedAt: Date;
  /** Deployment group (`default`, `mr/26`). */
  group: string;
  expiresAt: Date | null;
  /** What made it (a rollback runs no release command); absent where a test store leaves it out. */
  trigger?: DeploymentTrigger;
  /** The web replicas its route balances over (absent: 1). */
  webReplicas?: number;
};

export type EngineDeployment = DeploymentRow & { project: { name: string } };

/**
 * A project's deployment group as the engine deploys, routes and reconciles it: the project itself for
 * the default group; for another group, the project's settings with the group's own active deployment,
 * slot ports and host, always meant to run (stopping a group removes it), and no custom domains.
 */
export type EngineProject = {
  id: string;
  name: string;
  /** Deployment group (`default`, `mr/26`). */
  group: string;
  /** Where a non-default group answers; null for the default group (`<name>.<base>` + custom domains). */
  groupHost: string | null;
  port: number;
  healthPath: string;
  visibility: Visibility;
  desiredState: DesiredState;
  cpuLimit: number | null;
  memoryLimitMb: number | null;
  /** Argument vectors (commands.ts); absent or empty: not set. */
  startCommand?: string[];
  releaseCommand?: string[];
  postDeployCommand?: string[];
  slotPortA: number | null;
  slotPortB: number | null;
  /** Web replicas wanted (absent: 1; preview groups: 1). */
  replicas?: number;
  /** Processes besides web, as stored (read with `readProcesses`); absent: none. */
  processes?: unknown;
  /** Host mode: the host ports of web replicas 1…N-1 per slot (default group only). */
  replicaPorts?: ReplicaPortRow[];
  activeDeploymentId: string | null;
  /** Verified custom domains (pending ones are never routed). */
  domains: { hostname: string; verifiedAt: Date | null }[];
  activeDeployment: DeploymentRow | null;
};

export type ReplicaPortRow = { slot: Slot; replica: number; port: number };

/** What a project's route is made of (see routing.ts `desiredRoute`). */
export type RouteSource = Omit<EngineProject, 'activeDeployment'> & {
  activeDeployment: Pick<DeploymentRow, 'id' | 'slot' | 'status' | 'webReplicas'> | null;
};

export type TransitionData = {
  image?: string | null;
  error?: string | null;
  terminationReason?: TerminationReason | null;
  imageDigest?: string | null;
  slot?: Slot | null;
  restartCount?: number;
  nextRestartAt?: Date | null;
  crashLoopSince?: Date | null;
  lastCrashAt?: Date | null;
  lastExitCode?: number | null;
  lastCrashLog?: string[];
  webReplicas?: number;
};

export type EventLevel = 'info' | 'warn' | 'error';

export interface EngineDeploymentRepo {
  findById(id: string): Promise<EngineDeployment | null>;
  listByStatus(statuses: readonly DeploymentStatus[]): Promise<EngineDeployment[]>;
  /** Deployments past their expiry that are queued (pending, pushed) or live. */
  listExpired(now: Date): Promise<EngineDeployment[]>;
  /** Status and project of those of `ids` that exist (the owners of runtime instances). */
  findOwners(ids: string[]): Promise<Pick<DeploymentRow, 'id' | 'status' | 'projectId' | 'group'>[]>;
  /**
   * Moves a deployment from one of `from` to `to` only if it is still there (compare-and-set), so two
   * workers never both move one deployment; stamps startedAt/healthyAt/finishedAt. Returns whether
   * this caller made the transition. Throws on a transition the state machine forbids.
   */
  transition(
    id: string,
    from: DeploymentStatus | readonly DeploymentStatus[],
    to: DeploymentStatus,
    data?: TransitionData,
  ): Promise<boolean>;
  update(id: string, data: TransitionData): Promise<void>;
  addEvent(deploymentId: string, message: string, level?: EventLevel): Promise<void>;
  /**
   * The switch, all or nothing, under the project's row lock: `deploymentId` deploying → healthy, made
   * the active deployment of its group, `previous` (if still live) superseded, and `moveTraffic` called
   * with the project's route source as it now stands, before anything commits. So whoever reads
   * `healthy` can rely on the route already naming the new instance; when `moveTraffic` throws, nothing
   * is written and the error propagates. False, with nothing written, when the deployment is no longer
   * `deploying` (cancelled, failed as stuck meanwhile) or its group is gone (stopped meanwhile).
   */
  activate(
    deploymentId: string,
    projectId: string,
    previousId: string | null,
    moveTraffic?: (project: RouteSource | null) => Promise<unknown>,
  ): Promise<boolean>;
}

export interface EngineProjectRepo {
  /** The project's `group` (default: `default`); null when the project or that group does not exist. */
  findForDeploy(id: string, group?: string): Promise<EngineProject | null>;
  /** Every group of every project, or of the projects on `runtime`. */
  listForReconcile(runtime?: string): Promise<EngineProject[]>;
  /** Names of every project, whatever its runtime. */
  listNames(): Promise<Set<string>>;
  setActiveDeployment(id: string, deploymentId: string | null, group?: string): Promise<void>;
  /** Removes a non-default group (stopped or expired): its slot ports and host are free again. */
  deleteGroup(id: string, group: string): Promise<void>;
  /** Ports already given to slots (of every group), to pick free ones from the configured range. */
  usedSlotPorts(): Promise<Set<number>>;
  /**
   * Gives the project's group both slot ports unless it has some already. False when it had (someone
   * else was first) or another project or group holds one of the ports.
   */
  setSlotPorts(id: string, ports: [number, number], group?: string): Promise<boolean>;
  /**
   * Moves one slot of the project's group from host port `from` to `to`. False when the slot no
   * longer has `from` (someone moved it first) or another project or group holds `to`.
   */
  replaceSlotPort(id: string, slot: Slot, from: number, to: number, group?: string): Promise<boolean>;
  /**
   * Gives web replica `replica` of the project's slot the host port `port` (default group). False
   * when it has one already or another project, group or replica holds the port.
   */
  addReplicaPort(id: string, slot: Slot, replica: number, port: number): Promise<boolean>;
  /** Moves web replica `replica` of the slot off `from` to `to`; false as for replaceSlotPort. */
  replaceReplicaPort(id: string, slot: Slot, replica: number, from: number, to: number): Promise<boolean>;
}

export interface RouteStateRepo {
  /**
   * Runs `work` with the route source of the project's `group` (default: `default`) read under the
   * project's row lock, held until `work` ends: a deploy's switch (which updates that row) and every
   * other route writer take turns, so none can write a route read before another's newer one. Null
   * when the project or the group no longer exists.
   */
  withLockedProject<T>(
    projectId: string,
    work: (project: RouteSource | null) => Promise<T>,
    group?: string,
  ): Promise<T>;
}
