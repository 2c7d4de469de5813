import type { DeploymentStatus, TerminationReason } from '@/generated/prisma/enums';
import type { Clock } from '../engine-clock';
import type {
  DeploymentRow,
  EngineDeployment,
  EngineProject,
  EngineRepos,
  EventLevel,
  RouteSource,
  TransitionData,
} from '../engine-repos';
import { canTransition, LIVE } from '../state-machine';

export type StoredProject = Omit<EngineProject, 'activeDeployment'> & { runtime: string };

export type StoredDeployment = DeploymentRow & {
  error: string | null;
  terminationReason: TerminationReason | null;
  startedAt: Date | null;
  healthyAt: Date | null;
  finishedAt: Date | null;
};

export type StoredEvent = { deploymentId: string; message: string; level: EventLevel; at: Date };

const FINISHED: readonly DeploymentStatus[] = ['cancelled', 'stopped', 'superseded', 'failed', 'expired'];

/**
 * The deploy engine's repositories (EngineRepos) in memory, for unit tests: the same compare-and-set
 * transitions (refusing what the state machine forbids), timestamps from the given clock, one slot
 * port per project, a per-project lock for route writes. Reads return copies, as a database does.
 * The Prisma implementation (engine.repo.ts) is covered by the deployments integration tests.
 */
export class InMemoryEngineStore {
  readonly projects = new Map<string, StoredProject>();
  readonly deployments = new Map<string, StoredDeployment>();
  readonly events: StoredEvent[] = [];
  private readonly locks = new Map<string, Promise<unknown>>();
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  addProject(project: Partial<StoredProject> & { name: string }): StoredProject {
    const stored: StoredProject = {
      id: `project-${this.nextId++}`,
      port: 8080,
      healthPath: '/health',
      visibility: 'public',
      desiredState: 'running',
      cpuLimit: null,
      memoryLimitMb: null,
      slotPortA: null,
      slotPortB: null,
      activeDeploymentId: null,
      domains: [],
      runtime: 'docker',
      ...project,
    };
    this.projects.set(stored.id, stored);
    return stored;
  }

  addDeployment(deployment: Partial<StoredDeployment> & { projectId: string }): StoredDeployment {
    const stored: StoredDeployment = {
      id: `deployment-${this.nextId++}`,
      status: 'pushed',
      image: null,
      imageDigest: null,
      slot: null,
      restartCount: 0,
      nextRestartAt: null,
      updatedAt: this.clock.now(),
      error: null,
      terminationReason: null,
      startedAt: null,
      healthyAt: null,
      finishedAt: null,
      ...deployment,
    };
    this.deployments.set(stored.id, stored);
    return stored;
  }

  /** Deletes a project with its deployments (the foreign key cascades). */
  deleteProject(id: string): void {
    this.projects.delete(id);
    for (const deployment of [...this.deployments.values()]) {
      if (deployment.projectId === id) this.deployments.delete(deployment.id);
    }
  }

  project(id: string): StoredProject {
    const project = this.projects.get(id);
    if (!project) throw new Error(`no project ${id}`);
    return project;
  }

  deployment(id: string): StoredDeployment {
    const deployment = this.deployments.get(id);
    if (!deployment) throw new Error(`no deployment ${id}`);
    return deployment;
  }

  eventsOf(deploymentId: string): string[] {
    return this.events.filter((event) => event.deploymentId === deploymentId).map((event) => event.message);
  }

  readonly repos: EngineRepos = {
    deployments: {
      findById: async (id) => this.withProjectName(this.deployments.get(id)),
      listByStatus: async (statuses) =>
        [...this.deployments.values()]
          .filter((deployment) => statuses.includes(deployment.status))
          .flatMap((deployment) => this.withProjectName(deployment) ?? []),
      findOwners: async (ids) =>
        ids.flatMap((id) => {
          const deployment = this.deployments.get(id);
          return deployment
            ? [{ id: deployment.id, status: deployment.status, projectId: deployment.projectId }]
            : [];
        }),
      transition: async (id, from, to, data = {}) => this.transition(id, from, to, data),
      update: async (id, data) => {
        Object.assign(this.deployment(id), data, { updatedAt: this.clock.now() });
      },
      addEvent: async (deploymentId, message, level = 'info') => {
        this.deployment(deploymentId);
        this.events.push({ deploymentId, message, level, at: this.clock.now() });
      },
      activate: (deploymentId, projectId, previousId, moveTraffic) =>
        this.underProjectLock(projectId, async () => {
          const deployment = this.deployments.get(deploymentId);
          const project = this.projects.get(projectId);
          if (deployment?.status !== 'deploying' || !project) return false;
          // All or nothing, like the transaction: a failed route write leaves no trace.
          const rollback = this.savepoint(project, [deploymentId, previousId]);
          try {
            this.transition(deploymentId, 'deploying', 'healthy', {});
            project.activeDeploymentId = deploymentId;
            if (previousId)
              this.transition(previousId, LIVE, 'superseded', { terminationReason: 'superseded' });
            if (moveTraffic) await moveTraffic(this.routeSource(project));
            return true;
          } catch (error) {
            rollback();
            throw error;
          }
        }),
    },
    projects: {
      findForDeploy: async (id) => {
        const project = this.projects.get(id);
        return project ? this.withActiveDeployment(project) : null;
      },
      listForReconcile: async (runtime) =>
        [...this.projects.values()]
          .filter((project) => !runtime || project.runtime === runtime)
          .map((project) => this.withActiveDeployment(project)),
      listNames: async () => new Set([...this.projects.values()].map((project) => project.name)),
      setActiveDeployment: async (id, deploymentId) => {
        this.project(id).activeDeploymentId = deploymentId;
      },
      usedSlotPorts: async () => this.usedSlotPorts(),
      setSlotPorts: async (id, ports) => {
        const project = this.projects.get(id);
        if (!project || project.slotPortA !== null) return false;
        if (ports.some((port) => this.usedSlotPorts(id).has(port))) return false;
        [project.slotPortA, project.slotPortB] = ports;
        return true;
      },
      replaceSlotPort: async (id, slot, from, to) => {
        const project = this.projects.get(id);
        const key = slot === 'a' ? 'slotPortA' : 'slotPortB';
        if (!project || project[key] !== from || this.usedSlotPorts(id).has(to)) return false;
        project[key] = to;
        return true;
      },
    },
    routeState: {
      withLockedProject: (projectId, work) =>
        this.underProjectLock(projectId, () => {
          const project = this.projects.get(projectId);
          return work(project ? this.routeSource(project) : null);
        }),
    },
  };

  /** Runs `work` after every earlier holder of the project's row lock, as FOR UPDATE would. */
  private underProjectLock<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(projectId) ?? Promise.resolve();
    const run = previous.then(work);
    this.locks.set(
      projectId,
      run.catch(() => undefined),
    );
    return run;
  }

  /** Restores the project's active deployment and the given deployments as they are now. */
  private savepoint(project: StoredProject, deploymentIds: (string | null)[]): () => void {
    const activeDeploymentId = project.activeDeploymentId;
    const saved = deploymentIds.flatMap((id) => {
      const deployment = id ? this.deployments.get(id) : undefined;
      return deployment ? [{ deployment, copy: { ...deployment } }] : [];
    });
    return () => {
      project.activeDeploymentId = activeDeploymentId;
      for (const { deployment, copy } of saved) {
        for (const key of Object.keys(deployment)) delete (deployment as Record<string, unknown>)[key];
        Object.assign(deployment, copy);
      }
    };
  }

  private transition(
    id: string,
    from: DeploymentStatus | readonly DeploymentStatus[],
    to: DeploymentStatus,
    data: TransitionData,
  ): boolean {
    const expected = typeof from === 'string' ? [from] : [...from];
    for (const source of expected) {
      if (!canTransition(source, to)) throw new Error(`illegal deployment transition ${source} → ${to}`);
    }
    const deployment = this.deployments.get(id);
    if (!deployment || !expected.includes(deployment.status)) return false;
    const now = this.clock.now();
    Object.assign(deployment, data, { status: to, updatedAt: now });
    if (to === 'building' || to === 'deploying') deployment.startedAt = now;
    if (to === 'healthy') deployment.healthyAt = now;
    if (FINISHED.includes(to)) deployment.finishedAt = now;
    return true;
  }

  private usedSlotPorts(exceptProject?: string): Set<number> {
    return new Set(
      [...this.projects.values()]
        .filter((project) => project.id !== exceptProject)
        .flatMap((project) => [project.slotPortA, project.slotPortB])
        .filter((port): port is number => port !== null),
    );
  }

  private withProjectName(deployment: StoredDeployment | undefined): EngineDeployment | null {
    if (!deployment) return null;
    const project = this.project(deployment.projectId);
    return { ...structuredClone(deployment), project: { name: project.name } };
  }

  private withActiveDeployment(project: StoredProject): EngineProject {
    const active = project.activeDeploymentId ? this.deployments.get(project.activeDeploymentId) : undefined;
    return { ...structuredClone(project), activeDeployment: active ? structuredClone(active) : null };
  }

  private routeSource(project: StoredProject): RouteSource {
    const active = this.withActiveDeployment(project).activeDeployment;
    return {
      ...structuredClone(project),
      activeDeployment: active ? { id: active.id, slot: active.slot, status: active.status } : null,
    };
  }
}
