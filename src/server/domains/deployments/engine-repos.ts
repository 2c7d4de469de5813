import type {
  DeploymentStatus,
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
  updatedAt: Date;
};

export type EngineDeployment = DeploymentRow & { project: { name: string } };

/** A project as the engine deploys, routes and reconciles it. */
export type EngineProject = {
  id: string;
  name: string;
  port: number;
  healthPath: string;
  visibility: Visibility;
  desiredState: DesiredState;
  cpuLimit: number | null;
  memoryLimitMb: number | null;
  slotPortA: number | null;
  slotPortB: number | null;
  activeDeploymentId: string | null;
  /** Verified custom domains (pending ones are never routed). */
  domains: { hostname: string; verifiedAt: Date | null }[];
  activeDeployment: DeploymentRow | null;
};

/** What a project's route is made of (see routing.ts `desiredRoute`). */
export type RouteSource = Omit<EngineProject, 'activeDeployment'> & {
  activeDeployment: Pick<DeploymentRow, 'id' | 'slot' | 'status'> | null;
};

export type TransitionData = {
  image?: string | null;
  error?: string | null;
  terminationReason?: TerminationReason | null;
  imageDigest?: string | null;
  slot?: Slot | null;
  restartCount?: number;
  nextRestartAt?: Date | null;
};

export type EventLevel = 'info' | 'warn' | 'error';

export interface EngineDeploymentRepo {
  findById(id: string): Promise<EngineDeployment | null>;
  listByStatus(statuses: readonly DeploymentStatus[]): Promise<EngineDeployment[]>;
  /** Status and project of those of `ids` that exist (the owners of runtime instances). */
  findOwners(ids: string[]): Promise<Pick<DeploymentRow, 'id' | 'status' | 'projectId'>[]>;
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
   * the project's active deployment, `previous` (if still live) superseded, and `moveTraffic` called
   * with the project's route source as it now stands, before anything commits. So whoever reads
   * `healthy` can rely on the route already naming the new instance; when `moveTraffic` throws, nothing
   * is written and the error propagates. False, with nothing written, when the deployment is no longer
   * `deploying` (cancelled, failed as stuck meanwhile).
   */
  activate(
    deploymentId: string,
    projectId: string,
    previousId: string | null,
    moveTraffic?: (project: RouteSource | null) => Promise<unknown>,
  ): Promise<boolean>;
}

export interface EngineProjectRepo {
  findForDeploy(id: string): Promise<EngineProject | null>;
  /** Every project, or those on `runtime`. */
  listForReconcile(runtime?: string): Promise<EngineProject[]>;
  /** Names of every project, whatever its runtime. */
  listNames(): Promise<Set<string>>;
  setActiveDeployment(id: string, deploymentId: string | null): Promise<void>;
  /** Ports already given to slots, to pick free ones from the configured range. */
  usedSlotPorts(): Promise<Set<number>>;
  /**
   * Gives the project both slot ports unless it has some already. False when it had (someone else
   * was first) or another project holds one of the ports.
   */
  setSlotPorts(id: string, ports: [number, number]): Promise<boolean>;
  /**
   * Moves one slot from host port `from` to `to`. False when the slot no longer has `from` (someone
   * moved it first) or another project holds `to`.
   */
  replaceSlotPort(id: string, slot: Slot, from: number, to: number): Promise<boolean>;
}

export interface RouteStateRepo {
  /**
   * Runs `work` with the project's route source read under the project's row lock, held until `work`
   * ends: a deploy's switch (which updates that row) and every other route writer take turns, so none
   * can write a route read before another's newer one. Null when the project no longer exists.
   */
  withLockedProject<T>(projectId: string, work: (project: RouteSource | null) => Promise<T>): Promise<T>;
}
