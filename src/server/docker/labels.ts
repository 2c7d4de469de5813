import { DEFAULT_GROUP, groupKey } from '@/shared/deployment-groups';

/** Names and labels of the Docker objects Rise creates; the only way Rise recognises its own objects. */
export type RiseLabels = {
  managedBy: string;
  /** Value of the managed-by label: the Rise installation (RISE_INSTANCE_ID) that owns the object. */
  manager: string;
  project: string;
  deployment: string;
  slot: string;
  /** On app containers of a non-default deployment group: the group's slug (`mr--26`). */
  group: string;
  /** On database containers: their host name (container name and network alias). */
  database: string;
  /** On app containers in host mode: both slot ports of the project (`20001,20002`), held by it. */
  hostPorts: string;
  /** On one-off containers (release, post-deploy, `rise run`): their kind; they carry no slot. */
  oneOff: string;
  /** On project volumes (Docker named volumes of `rise volume create`): the volume's name. */
  volume: string;
  /** On app containers other than web replica 0: the process and the replica number. */
  process: string;
  replica: string;
};

export const DEFAULT_LABEL_PREFIX = 'dev.rise';
export const DEFAULT_MANAGER = 'rise';
export const DEFAULT_NETWORK_PREFIX = 'rise-apps';

/**
 * The prefix of project networks `<prefix>-<project>`: RISE_DOCKER_NETWORK when set; otherwise
 * `rise-apps` for the default installation and `rise-apps.<instance>` for any other, so that
 * installations sharing an engine never want the same network for projects of the same name
 * (project names have no '.', so no project of one can take another's name either).
 */
export function projectNetworkPrefix(
  configured: string | undefined,
  instance: string = DEFAULT_MANAGER,
): string {
  if (configured) return configured;
  return instance === DEFAULT_MANAGER ? DEFAULT_NETWORK_PREFIX : `${DEFAULT_NETWORK_PREFIX}.${instance}`;
}

/** The prefix an installation's project networks had before `projectNetworkPrefix`, when different. */
export function formerNetworkPrefix(
  configured: string | undefined,
  instance: string = DEFAULT_MANAGER,
): string | null {
  return configured || instance === DEFAULT_MANAGER ? null : DEFAULT_NETWORK_PREFIX;
}

// Docker's rule for container names (and a safe subset for network aliases / DNS labels).
const NAME_PART = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function labelKeys(
  prefix: string = DEFAULT_LABEL_PREFIX,
  manager: string = DEFAULT_MANAGER,
): RiseLabels {
  return {
    managedBy: `${prefix}.managed-by`,
    manager,
    project: `${prefix}.project`,
    deployment: `${prefix}.deployment`,
    slot: `${prefix}.slot`,
    group: `${prefix}.group`,
    database: `${prefix}.database`,
    hostPorts: `${prefix}.host-ports`,
    oneOff: `${prefix}.one-off`,
    volume: `${prefix}.volume`,
    process: `${prefix}.process`,
    replica: `${prefix}.replica`,
  };
}

/**
 * `rise-<project>-<slot>` (`rise-<project>.<group slug>-<slot>` for a non-default group): the network
 * alias a proxy on the Docker network dials for a slot.
 */
export function slotAlias(project: string, slot: 'a' | 'b', group: string = DEFAULT_GROUP): string {
  assertNamePart('project', project);
  return `rise-${groupKey(project, group)}-${slot}`;
}

/** The alias of web replica `replica` of a slot: the slot's alias for replica 0, `<alias>-<replica>` after. */
export function replicaAlias(
  project: string,
  slot: 'a' | 'b',
  group: string | undefined,
  replica: number,
): string {
  const alias = slotAlias(project, slot, group);
  return replica === 0 ? alias : `${alias}-${replica}`;
}

export function managedLabel(keys: RiseLabels): string {
  return `${keys.managedBy}=${keys.manager}`;
}

export function isManaged(keys: RiseLabels, labels: Record<string, string> | null | undefined): boolean {
  return labels?.[keys.managedBy] === keys.manager;
}

export function assertNamePart(what: string, value: string): void {
  if (!NAME_PART.test(value)) {
    throw new Error(`invalid ${what} ${JSON.stringify(value)}: expected letters, digits, '_', '.' or '-'`);
  }
}
