import type Dockerode from 'dockerode';
import { oneAtATime } from '@/server/one-at-a-time';
import { dockerMessage, dockerStatus, ignoreStatus } from './docker-errors';
import { isManaged, managedLabel, type RiseLabels, slotAlias } from './labels';
import { freeSubnet, gatewayOf } from './subnet-pool';

export type ProjectNetworkOptions = {
  docker: Dockerode;
  /**
   * RISE_DOCKER_NETWORK: project networks are named `<base>-<project>`. Before per-project networks
   * every app and database shared the network of this name; `migrateShared` moves them off it.
   */
  base: string;
  labels: RiseLabels;
  /** Added to every network created (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
  /** RISE_DOCKER_SUBNET_POOL: each network gets a free /24 of it; null lets Docker choose. */
  subnetPool?: string | null;
  /**
   * RISE_DOCKER_ATTACH_CONTAINERS: containers that must reach every project's apps (Caddy dialing
   * slot aliases, the worker probing new containers' addresses), connected to every project network.
   */
  attach?: readonly string[];
  /**
   * The prefix this installation's project networks had before (RISE_DOCKER_NETWORK unset with a
   * RISE_INSTANCE_ID other than `rise` meant `rise-apps`); `migrateFormer` moves them to `base`.
   */
  formerBase?: string | null;
};

const CREATE_ATTEMPTS = 20;

type NetworkSummary = { Id: string; Name: string; Created?: string; Labels?: Record<string, string> };

/**
 * One bridge network per project: its app containers and its databases join only that network, so an
 * app reaches its own project's databases by their aliases and nothing of another project (Docker
 * isolates bridge networks from each other). Networks are found by name and verified by label;
 * Rise never joins, changes or removes a network another installation (or nobody) labelled.
 */
export class ProjectNetworks {
  private readonly docker: Dockerode;
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly oneCreationAtATime = oneAtATime();

  constructor(private readonly options: ProjectNetworkOptions) {
    this.docker = options.docker;
  }

  nameOf(project: string): string {
    return `${this.options.base}-${project}`;
  }

  /**
   * Creates the project's network unless it exists, and connects what belongs on it: the attached
   * containers and every container of the project (apps, databases) missing from it. Idempotent, and
   * safe when several jobs or processes ensure the same network at once. Returns the network's name.
   */
  ensure(project: string): Promise<string> {
    let pending = this.inFlight.get(project);
    if (!pending) {
      pending = this.ensureOnce(project).finally(() => this.inFlight.delete(project));
      this.inFlight.set(project, pending);
    }
    return pending;
  }

  /**
   * Removes the project's network after disconnecting the attached containers and the project's own
   * containers still on it (a database whose removal job has not run yet). Refuses when a container
   * that is neither is on it. A missing network is fine.
   */
  async remove(project: string): Promise<void> {
    for (const network of await this.findAll(this.nameOf(project))) {
      if (!this.owns(network, project)) continue;
      await this.disconnectMembers(network, project, { projectContainers: true });
      await ignoreStatus([404], () => this.docker.getNetwork(network.Id).remove());
    }
  }

  /**
   * Removes this installation's project networks whose project does not exist, when nothing but the
   * attached containers is left on them (containers still there are removed by their own jobs; a later
   * run takes the network). `existing` is asked after listing: a project created meanwhile counts.
   * Returns the names removed.
   */
  async removeOrphans(existing: () => Promise<ReadonlySet<string>>): Promise<string[]> {
    const keys = this.options.labels;
    const networks = (await this.docker.listNetworks({
      filters: { label: [managedLabel(keys), keys.project] },
    })) as NetworkSummary[];
    if (networks.length === 0) return [];
    const projects = await existing();
    const removed: string[] = [];
    for (const network of networks) {
      const project = network.Labels?.[keys.project];
      if (!project || projects.has(project) || !this.owns(network, project)) continue;
      if (network.Name !== this.nameOf(project)) continue;
      const info = await ignoreStatus([404], () => this.docker.getNetwork(network.Id).inspect());
      if (!info) continue;
      const members = Object.values((info.Containers ?? {}) as Record<string, { Name: string }>);
      if (members.some((member) => !this.isAttached(member.Name))) continue;
      await this.disconnectMembers(network, project, { projectContainers: false });
      if (await ignoreStatus([403, 404], () => this.docker.getNetwork(network.Id).remove())) {
        removed.push(network.Name);
      }
    }
    return removed;
  }

  /**
   * Installations from before per-project networks: moves this installation's containers from the
   * shared network to their project's network (connect there with their alias first, then leave the
   * shared one). Open connections over the shared network are reset once.
   */
  async migrateShared(): Promise<void> {
    const keys = this.options.labels;
    const shared = await ignoreStatus([404], () => this.docker.getNetwork(this.options.base).inspect());
    if (!shared) return;
    const members = Object.keys((shared.Containers ?? {}) as Record<string, unknown>);
    if (members.length === 0) return;
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [managedLabel(keys)], network: [shared.Id] },
    });
    const byProject = new Map<string, string[]>();
    for (const container of containers) {
      const project = container.Labels?.[keys.project];
      if (!project || !isManaged(keys, container.Labels)) continue;
      byProject.set(project, [...(byProject.get(project) ?? []), container.Id]);
    }
    for (const [project, ids] of byProject) {
      await this.ensure(project);
      for (const id of ids) {
        await ignoreStatus([404], () =>
          this.docker.getNetwork(shared.Id).disconnect({ Container: id, Force: true }),
        ).catch((error: unknown) => {
          if (!/is not connected/i.test(dockerMessage(error))) throw error;
        });
      }
    }
  }

  /**
   * Moves this installation's project networks named with the former prefix to their current name:
   * the project's containers (and the attached ones) join the new network with their aliases, then
   * leave the old one, which is removed. Open connections over the old network are reset once.
   * A network someone else's container is still on stays, untouched.
   */
  async migrateFormer(): Promise<void> {
    const former = this.options.formerBase;
    if (!former || former === this.options.base) return;
    const keys = this.options.labels;
    const networks = (await this.docker.listNetworks({
      filters: { label: [managedLabel(keys), keys.project] },
    })) as NetworkSummary[];
    for (const network of networks) {
      const project = network.Labels?.[keys.project];
      if (!project || network.Name !== `${former}-${project}` || !this.owns(network, project)) continue;
      await this.ensure(project);
      try {
        await this.disconnectMembers(network, project, { projectContainers: true });
      } catch {
        continue;
      }
      await ignoreStatus([403, 404], () => this.docker.getNetwork(network.Id).remove());
    }
  }

  private async ensureOnce(project: string): Promise<string> {
    const name = this.nameOf(project);
    const network = (await this.findOldest(name)) ?? (await this.create(name, project));
    if (!this.owns(network, project)) {
      throw new Error(
        `Docker network ${name} exists but is not this installation's network of project ${project} ` +
          `(labels ${managedLabel(this.options.labels)}, ${this.options.labels.project}=${project}); not using it. ` +
          'Remove or rename it, or change RISE_DOCKER_NETWORK.',
      );
    }
    await this.connectMembers(network, project);
    return name;
  }

  /**
   * One creation at a time in this process: concurrent deployments of new projects would all pick the
   * same first free /24 and be refused as overlapping in turn. Other processes (a second worker, another
   * installation sharing the pool) still race, which the retries in `createNow` absorb.
   */
  private create(name: string, project: string): Promise<NetworkSummary> {
    return this.oneCreationAtATime(() => this.createNow(name, project));
  }

  private async createNow(name: string, project: string): Promise<NetworkSummary> {
    const keys = this.options.labels;
    const labels = {
      ...this.options.extraLabels,
      [keys.managedBy]: keys.manager,
      [keys.project]: project,
    };
    const pool = this.options.subnetPool ?? null;
    // Subnets the engine refused as overlapping: a network being created elsewhere holds them before
    // it is listed.
    const refused: string[] = [];
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      if (attempt > 1 && (await this.findOldest(name))) break;
      const subnet = pool ? freeSubnet(pool, [...(await this.usedSubnets()), ...refused]) : null;
      if (pool && !subnet) {
        throw new Error(
          `no free /24 left in RISE_DOCKER_SUBNET_POOL ${pool} for network ${name}: widen the pool, or delete unused projects`,
        );
      }
      try {
        await this.docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          CheckDuplicate: true,
          Labels: labels,
          ...(subnet
            ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gatewayOf(subnet) }] } }
            : {}),
        });
        break;
      } catch (error) {
        // 409: created concurrently by another job; found below.
        if (dockerStatus(error) === 409) break;
        const message = dockerMessage(error);
        // Another process took the same free subnet at the same moment: pick again.
        if (subnet && /overlaps/i.test(message) && attempt < CREATE_ATTEMPTS) {
          refused.push(subnet);
          continue;
        }
        if (/non-overlapping|available.*pool|address pool/i.test(message)) {
          throw new Error(
            `could not create Docker network ${name}: ${message}. Docker's default address pools allow about 30 networks: ` +
              "set RISE_DOCKER_SUBNET_POOL (e.g. 10.213.0.0/16) or the daemon's default-address-pools",
            { cause: error },
          );
        }
        throw new Error(`could not create Docker network ${name}: ${message}`, { cause: error });
      }
    }
    const created = await this.findOldest(name);
    if (!created) throw new Error(`Docker network ${name} was created but cannot be found`);
    return created;
  }

  /** IPv4 subnets of every network on the engine, whoever made it. */
  private async usedSubnets(): Promise<string[]> {
    const networks = await this.docker.listNetworks();
    return networks.flatMap((network) =>
      (network.IPAM?.Config ?? [])
        .map((config) => config.Subnet)
        .filter((subnet): subnet is string => !!subnet),
    );
  }

  /** Networks named exactly `name` (the engine's name filter matches substrings), oldest first. */
  private async findAll(name: string): Promise<NetworkSummary[]> {
    const networks = (await this.docker.listNetworks({ filters: { name: [name] } })) as NetworkSummary[];
    return networks
      .filter((network) => network.Name === name)
      .sort(
        (a, b) =>
          Date.parse(a.Created ?? '') - Date.parse(b.Created ?? '') ||
          (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0),
      );
  }

  /**
   * The network named `name`; twins from a concurrent create (Docker 20.10's CheckDuplicate does not
   * stop those, and a shared name is "ambiguous" to every later call) are removed, keeping the oldest.
   */
  private async findOldest(name: string): Promise<NetworkSummary | null> {
    const [oldest, ...twins] = await this.findAll(name);
    for (const twin of twins) {
      if (this.owns(twin, twin.Labels?.[this.options.labels.project] ?? '')) {
        await ignoreStatus([403, 404], () => this.docker.getNetwork(twin.Id).remove());
      }
    }
    return oldest ?? null;
  }

  private owns(network: NetworkSummary, project: string): boolean {
    const keys = this.options.labels;
    return isManaged(keys, network.Labels) && network.Labels?.[keys.project] === project;
  }

  private isAttached(name: string): boolean {
    const bare = name.replace(/^\//, '');
    return (this.options.attach ?? []).includes(bare);
  }

  private async connectMembers(network: NetworkSummary, project: string): Promise<void> {
    const keys = this.options.labels;
    const info = await this.docker.getNetwork(network.Id).inspect();
    const members = (info.Containers ?? {}) as Record<string, { Name: string }>;
    const names = new Set(Object.values(members).map((member) => member.Name));
    for (const container of this.options.attach ?? []) {
      if (names.has(container)) continue;
      try {
        await this.connect(network, container, []);
      } catch (error) {
        if (dockerStatus(error) === 404) {
          throw new Error(
            `RISE_DOCKER_ATTACH_CONTAINERS names container ${container}, which does not exist; it must reach the apps of project ${project} on network ${network.Name}`,
            { cause: error },
          );
        }
        throw error;
      }
    }
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [managedLabel(keys), `${keys.project}=${project}`] },
    });
    for (const container of containers) {
      if (members[container.Id] || !isManaged(keys, container.Labels)) continue;
      const alias = this.aliasOf(project, container.Labels, container.Names);
      if (!alias) continue;
      try {
        await this.connect(network, container.Id, [alias]);
      } catch (error) {
        // A container removed meanwhile (a deleted database going away) needs no network.
        if (dockerStatus(error) === 404 || /marked for removal/i.test(dockerMessage(error))) continue;
        throw error;
      }
    }
  }

  /**
   * The name the project's other containers (and Caddy) dial it by: a slot alias, or a database's host.
   * An app's image can add labels of its own (Docker merges image labels into the container's), so a
   * database alias counts only on a container that is named like it, which an app container never is.
   */
  private aliasOf(project: string, labels: Record<string, string>, names: string[]): string | null {
    const keys = this.options.labels;
    const slot = labels[keys.slot];
    if (labels[keys.deployment] && (slot === 'a' || slot === 'b'))
      return slotAlias(project, slot, labels[keys.group]);
    const database = labels[keys.database];
    return database && names.includes(`/${database}`) ? database : null;
  }

  private async connect(network: NetworkSummary, container: string, aliases: string[]): Promise<void> {
    try {
      await this.docker.getNetwork(network.Id).connect({
        Container: container,
        ...(aliases.length > 0 ? { EndpointConfig: { Aliases: aliases } } : {}),
      });
    } catch (error) {
      // Connected meanwhile (a concurrent ensure).
      if (dockerStatus(error) === 403 && /already exists/i.test(dockerMessage(error))) return;
      throw error;
    }
  }

  private async disconnectMembers(
    network: NetworkSummary,
    project: string,
    options: { projectContainers: boolean },
  ): Promise<void> {
    const info = await ignoreStatus([404], () => this.docker.getNetwork(network.Id).inspect());
    if (!info) return;
    const members = Object.entries((info.Containers ?? {}) as Record<string, { Name: string }>);
    for (const [id, member] of members) {
      if (!this.isAttached(member.Name)) {
        const container = await ignoreStatus([404], () => this.docker.getContainer(id).inspect());
        if (!container) continue;
        const labels = container.Config.Labels;
        const ours =
          isManaged(this.options.labels, labels) && labels?.[this.options.labels.project] === project;
        if (!options.projectContainers || !ours) {
          throw new Error(
            `Docker network ${network.Name} still has container ${member.Name}, which is not Rise's container of project ${project}; not removing the network`,
          );
        }
      }
      await ignoreStatus([404], () =>
        this.docker.getNetwork(network.Id).disconnect({ Container: id, Force: true }),
      );
    }
  }
}
