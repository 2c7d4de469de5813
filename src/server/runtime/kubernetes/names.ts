import { createHash } from 'node:crypto';
import { DEFAULT_GROUP, groupKey } from '@/shared/deployment-groups';
import { WEB_PROCESS } from '../types';

/**
 * Names of the Kubernetes objects Rise creates. Kubernetes is stricter than Docker: namespaces and
 * Services are DNS-1123 labels (at most 63 characters), most other objects DNS-1123 subdomains.
 */

export const PROJECT_PLACEHOLDER = '{project}';
export const DEFAULT_NAMESPACE_FORMAT = `rise-${PROJECT_PLACEHOLDER}`;
/** The Secret with a project's registry credentials, in the project's own namespace. */
export const PULL_SECRET_NAME = 'rise-registry-pull';

/**
 * The pull Secret of `project`: `rise-registry-pull` in its own namespace; `<project>-registry-pull`
 * when projects share one, so no project's pods ever pull with another project's credentials.
 */
export function pullSecretName(project: string, sharedNamespace: boolean): string {
  assertNamePart('project', project);
  return sharedNamespace ? `${project}-registry-pull` : PULL_SECRET_NAME;
}
/**
 * The ExternalName Service to Rise's web Service, one per namespace, behind private projects' handshake
 * Ingresses. Two characters on purpose: project names have at least three, so no project's Service
 * (named after the project) can ever take this name, even when every project shares a namespace.
 */
export const HANDSHAKE_SERVICE_NAME = 'ra';
/** The only container of an app's pod. */
export const CONTAINER_NAME = 'app';
/** Name of the container port; probes and the Service's targetPort refer to it. */
export const PORT_NAME = 'http';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MAX = 63;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_SUBDOMAIN_MAX = 253;

export function isDnsLabel(value: string): boolean {
  return value.length <= DNS_LABEL_MAX && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: string): boolean {
  return value.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.test(value);
}

/**
 * Where a project's objects live: one shared namespace when `shared` is set or `format` has no
 * `{project}`, else the format with the project name (`rise-{project}` → `rise-shop`). A name longer
 * than a DNS label is shortened to 54 characters plus a hash, so distinct projects stay distinct.
 */
export function namespaceName(project: string, options: { format: string; shared?: string | null }): string {
  assertNamePart('project', project);
  const name = options.shared ?? options.format.replaceAll(PROJECT_PLACEHOLDER, project);
  const fitted = fitDnsLabel(name);
  if (!isDnsLabel(fitted)) {
    throw new Error(
      `invalid namespace ${JSON.stringify(name)} for project ${project}: expected a DNS label (lowercase letters, digits and '-')`,
    );
  }
  return fitted;
}

/** True when every project shares one namespace. */
export function isSharedNamespace(options: { format: string; shared?: string | null }): boolean {
  return Boolean(options.shared) || !options.format.includes(PROJECT_PLACEHOLDER);
}

/** `<project>-<deploymentId>`: the Deployment of one Rise deployment. */
export function deploymentName(project: string, deploymentId: string): string {
  assertNamePart('project', project);
  assertNamePart('deployment id', deploymentId);
  return `${project}-${deploymentId}`;
}

/** `<project>-<deploymentId>-env`: the Secret holding the deployment's environment variables. */
export function envSecretName(project: string, deploymentId: string): string {
  return `${deploymentName(project, deploymentId)}-env`;
}

/**
 * The Deployment of one process of a Rise deployment. `web`'s is `deploymentName` (the name it had
 * before processes, so running deployments keep theirs); another process's is
 * `<project>-<deploymentId>--<process>`; when that is longer than a DNS label,
 * `<project>-<deploymentId>` is cut and 8 hex characters of the whole name's hash follow it
 * (`<cut>-<hash>--<process>`, 63 characters), so the name stays a DNS label that names its process. The
 * `--` keeps it apart from every other name Rise derives from a deployment id: one-offs are
 * `<project>-<deploymentId>-<kind>` (a worker named `release` must not share the release Job's env
 * Secret), and deployment ids never contain `--`.
 */
export function processDeploymentName(project: string, deploymentId: string, process: string): string {
  const name = deploymentName(project, deploymentId);
  if (process === WEB_PROCESS) return name;
  assertNamePart('process', process);
  const full = `${name}--${process}`;
  if (full.length <= DNS_LABEL_MAX) return full;
  // The process stays readable at the end; the hash of the whole keeps cut names apart.
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const cut = name.slice(0, DNS_LABEL_MAX - process.length - hash.length - 3).replace(/-+$/, '');
  return `${cut}-${hash}--${process}`;
}

/** The env Secret of one process's Deployment: `<its name>-env` (web's is `envSecretName`). */
export function processEnvSecretName(project: string, deploymentId: string, process: string): string {
  return `${processDeploymentName(project, deploymentId, process)}-env`;
}

/**
 * The Service of a project's deployment group (`group` is its slug, `mr--26`; absent: the default
 * group), pointing at the group's active deployment.
 *
 * Default group: the project name (a DNS-1035 label: the pattern of project names), as always.
 *
 * Other groups: `<project>-<slug>` cut to 54 characters, then `-` and 8 hex characters of the SHA-256
 * of `<project>.<slug>` (the group's route key, unique per group): `shop-mr--26-1f0c3a9e`, at most 63.
 * The hash keeps groups apart whatever the cut leaves (`a-b` + `c` vs `a` + `b-c`). A Service name
 * is a DNS-1035 label and every such label of 3 or more characters is also a valid project name, so
 * no scheme can make a group's Service name one no project may take: a project named exactly
 * `shop-mr--26-1f0c3a9e` in a shared namespace would want the same Service. Rise therefore checks a
 * Service's `rise.dev/project` and `rise.dev/group` labels before it changes or deletes it (see
 * `belongsToGroup`): such a clash is refused with a message, never a takeover of the other's traffic.
 */
export function serviceName(project: string, group?: string): string {
  assertNamePart('project', project);
  if (!/^[a-z]/.test(project))
    throw new Error(`invalid project ${JSON.stringify(project)}: must start with a letter`);
  const slug = otherGroup(group);
  if (slug === undefined) return project;
  const hash = createHash('sha256').update(groupKey(project, slug)).digest('hex').slice(0, 8);
  const readable = `${project}-${slug}`.slice(0, DNS_LABEL_MAX - hash.length - 1).replace(/-+$/, '');
  return `${readable}-${hash}`;
}

/**
 * The Ingress of a deployment group: the project name for the default group (as always), else
 * `<project>.group.<slug>` (`shop.group.mr--26`). Ingress names are DNS subdomains and may contain
 * dots, which neither project names nor slugs do, so the dot-separated parts name the object without
 * ambiguity: `P` (a project's), `P.rise-auth` (its handshake), `P.group.S` (group S's),
 * `P.group.S.rise-auth` (group S's handshake). No project's or group's Ingress can take another's
 * name, even when every project shares one namespace; the longest is 63 + 7 + 63 + 10 characters.
 */
export function ingressName(project: string, group?: string): string {
  const name = serviceName(project);
  const slug = otherGroup(group);
  return slug === undefined ? name : `${name}.group.${slug}`;
}

/**
 * The Secret cert-manager writes a group's certificate to when RISE_KUBE_CERT_MANAGER_ISSUER is set:
 * `<project>-tls` for the default group (as always), `<project>.group.<slug>-tls` for others. Rise's
 * other Secret names (`<project>-<deployment id>-env`, `<project>-registry-pull`,
 * `rise-registry-pull`, `<project>-tls`) have no dot, so a group's never takes one of them, and two
 * groups' differ as their Ingress names do.
 */
export function tlsSecretName(project: string, group?: string): string {
  return `${ingressName(project, group)}-tls`;
}

/** A non-default group's slug, checked; undefined for the default group (absent, or `default`). */
export function otherGroup(group: string | null | undefined): string | undefined {
  if (group === undefined || group === null || group === DEFAULT_GROUP) return undefined;
  return assertNamePart('group', group);
}

function fitDnsLabel(name: string): string {
  if (name.length <= DNS_LABEL_MAX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, DNS_LABEL_MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

function assertNamePart(what: string, value: string): string {
  // Project names, group slugs and deployment ids (`20261122-0132-k3f9`) are DNS labels already.
  if (!isDnsLabel(value)) {
    throw new Error(
      `invalid ${what} ${JSON.stringify(value)}: expected at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/**
 * `<ingress>.rise-auth`: the Ingress sending a private project's `/.rise/auth/*` on a group's hosts to
 * Rise (`shop.rise-auth`, `shop.group.mr--26.rise-auth`; see `ingressName`). Ingress names may contain
 * dots and project names never do, so no project's own Ingress can have this name.
 */
export function handshakeIngressName(project: string, group?: string): string {
  return `${ingressName(project, group)}.rise-auth`;
}
