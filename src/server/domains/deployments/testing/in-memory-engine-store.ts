import type { DeploymentStatus, TerminationReason } from '@/generated/prisma/enums';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
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

export type StoredProject = Omit<EngineProject, 'activeDeployment' | 'group' | 'groupHost'> & {
  runtime: string;
};

/** A non-default deployment group (the DeploymentGroup table). */
export type StoredGroup = {
  projectId: string;
  name: string;
  host: string;
  activeDeploymentId: string | null;
  slotPortA: number | null;
  slotPortB: number | null;
};

export type StoredDeployment = DeploymentRow & {
  error: string | null;
  terminationReason: TerminationReason | null;
  startedAt: Date | null;
  healthyAt: Date | null;
  finishedAt: Date | null;
};

export type StoredEvent = { deploymentId: string; message: string; level: EventLevel; at: Date };

const groupId = (projectId: string, name: string) => `${projectId}/${name}`;

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
  /** Non-default groups by `<projectId>/<name>`. */
  readonly groups = new Map<string, StoredGroup>();
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
      crashLoopSince: null,
      lastCrashAt: null,
      updatedAt: this.clock.now(),
      group: DEFAULT_GROUP,
      expiresAt: null,
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

  /** Adds a non-default group to a project (as the API does with the group's first deployment). */
  addGroup(
    projectId: string,
    name: string,
    host = `${this.project(projectId).name}-${name}.test`,
  ): StoredGroup {
    const group: StoredGroup = {
      projectId,
      name,
      host,
      activeDeploymentId: null,
      slotPortA: null,
      slotPortB: null,
    };
    this.groups.set(groupId(projectId, name), group);
    return group;
  }

  group(projectId: string, name: string): StoredGroup | undefined {
    return this.groups.get(groupId(projectId, name));
  }

  /** Deletes a project with its deployments and groups (the foreign keys cascade). */
  deleteProject(id: string): void {
    this.projects.delete(id);
    for (const [key, group] of [...this.groups]) if (group.projectId === id) this.groups.delete(key);
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
      listExpired: async (now) =>
        [...this.deployments.values()]
          .filter(
            (deployment) =>
              deployment.expiresAt !== null &&
              deployment.expiresAt <= now &&
              ['pending', 'pushed', ...LIVE].includes(deployment.status),
          )
          .flatMap((deployment) => this.withProjectName(deployment) ?? []),
      findOwners: async (ids) =>
        ids.flatMap((id) => {
          const deployment = this.deployments.get(id);
          return deployment
            ? [
                {
                  id: deployment.id,
                  status: deployment.status,
                  projectId: deployment.projectId,
                  group: deployment.group,
                },
              ]
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
          const holder =
            deployment.group === DEFAULT_GROUP ? project : this.group(projectId, deployment.group);
          if (!holder) throw new Error(`group ${deployment.group} was stopped meanwhile`);
          // All or nothing, like the transaction: a failed route write leaves no trace.
          const rollback = this.savepoint(holder, [deploymentId, previousId]);
          try {
            this.transition(deploymentId, 'deploying', 'healthy', {});
            holder.activeDeploymentId = deploymentId;
            if (previousId)
              this.transition(previousId, LIVE, 'superseded', { terminationReason: 'superseded' });
            if (moveTraffic) await moveTraffic(this.routeSource(projectId, deployment.group));
            return true;
          } catch (error) {
            rollback();
            throw error;
          }
        }),
    },
    projects: {
      findForDeploy: async (id, group = DEFAULT_GROUP) => this.unit(id, group),
      listForReconcile: async (runtime) =>
        [...this.projects.values()]
          .filter((project) => !runtime || project.runtime === runtime)
          .flatMap((project) =>
            [
              DEFAULT_GROUP,
              ...[...this.groups.values()].filter((g) => g.projectId === project.id).map((g) => g.name),
            ].flatMap((group) => this.unit(project.id, group) ?? []),
          ),
      listNames: async () => new Set([...this.projects.values()].map((project) => project.name)),
      setActiveDeployment: async (id, deploymentId, group = DEFAULT_GROUP) => {
        const holder = group === DEFAULT_GROUP ? this.project(id) : this.group(id, group);
        if (holder) holder.activeDeploymentId = deploymentId;
      },
      deleteGroup: async (id, group) => {
        this.groups.delete(groupId(id, group));
      },
      usedSlotPorts: async () => this.usedSlotPorts(),
      setSlotPorts: async (id, ports, group = DEFAULT_GROUP) => {
        const holder = group === DEFAULT_GROUP ? this.projects.get(id) : this.group(id, group);
        if (!holder || holder.slotPortA !== null) return false;
        if (ports.some((port) => this.usedSlotPorts(holder).has(port))) return false;
        [holder.slotPortA, holder.slotPortB] = ports;
        return true;
      },
      replaceSlotPort: async (id, slot, from, to, group = DEFAULT_GROUP) => {
        const holder = group === DEFAULT_GROUP ? this.projects.get(id) : this.group(id, group);
        const key = slot === 'a' ? 'slotPortA' : 'slotPortB';
        if (!holder || holder[key] !== from || this.usedSlotPorts(holder).has(to)) return false;
        holder[key] = to;
        return true;
      },
      addReplicaPort: async (id, slot, replica, port) => {
        const project = this.projects.get(id);
        if (!project || this.usedSlotPorts().has(port)) return false;
        project.replicaPorts ??= [];
        if (project.replicaPorts.some((row) => row.slot === slot && row.replica === replica)) return false;
        project.replicaPorts.push({ slot, replica, port });
        return true;
      },
      replaceReplicaPort: async (id, slot, replica, from, to) => {
        const row = this.projects
          .get(id)
          ?.replicaPorts?.find(
            (held) => held.slot === slot && held.replica === replica && held.port === from,
          );
        if (!row || this.usedSlotPorts().has(to)) return false;
        row.port = to;
        return true;
      },
    },
    routeState: {
      withLockedProject: (projectId, work, group = DEFAULT_GROUP) =>
        this.underProjectLock(projectId, () => work(this.routeSource(projectId, group))),
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

  /** Restores the group's active deployment and the given deployments as they are now. */
  private savepoint(
    project: { activeDeploymentId: string | null },
    deploymentIds: (string | null)[],
  ): () => void {
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

  /** Slot ports of every project and group but `except`. */
  private usedSlotPorts(except?: object): Set<number> {
    return new Set(
      [...this.projects.values(), ...this.groups.values()]
        .filter((holder) => holder !== except)
        .flatMap((holder) => [
          holder.slotPortA,
          holder.slotPortB,
          ...('replicaPorts' in holder ? (holder.replicaPorts ?? []).map((row) => row.port) : []),
        ])
        .filter((port): port is number => port !== null),
    );
  }

  private withProjectName(deployment: StoredDeployment | undefined): EngineDeployment | null {
    if (!deployment) return null;
    const project = this.project(deployment.projectId);
    return { ...structuredClone(deployment), project: { name: project.name } };
  }

  /** The project's `group` as the engine reads it (see EngineProject); null when either is gone. */
  private unit(projectId: string, group: string): EngineProject | null {
    const stored = this.projects.get(projectId);
    if (!stored) return null;
    const { runtime: _runtime, ...project } = structuredClone(stored);
    const row = group === DEFAULT_GROUP ? null : this.group(projectId, group);
    if (group !== DEFAULT_GROUP && !row) return null;
    const unit: Omit<EngineProject, 'activeDeployment'> = row
      ? {
          ...project,
          group,
          groupHost: row.host,
          desiredState: 'running',
          domains: [],
          slotPortA: row.slotPortA,
          slotPortB: row.slotPortB,
          replicas: 1,
          replicaPorts: [],
          activeDeploymentId: row.activeDeploymentId,
        }
      : { ...project, group: DEFAULT_GROUP, groupHost: null };
    const active = unit.activeDeploymentId ? this.deployments.get(unit.activeDeploymentId) : undefined;
    return { ...unit, activeDeployment: active ? structuredClone(active) : null };
  }

  private routeSource(projectId: string, group: string): RouteSource | null {
    const unit = this.unit(projectId, group);
    if (!unit) return null;
    const active = unit.activeDeployment;
    return {
      ...unit,
      activeDeployment: active ? { id: active.id, slot: active.slot, status: active.status } : null,
    };
  }
}
