import { createHash } from 'node:crypto';

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

/** The project's Service is named after the project (a DNS-1035 label: the pattern of project names). */
export function serviceName(project: string): string {
  assertNamePart('project', project);
  if (!/^[a-z]/.test(project))
    throw new Error(`invalid project ${JSON.stringify(project)}: must start with a letter`);
  return project;
}

function fitDnsLabel(name: string): string {
  if (name.length <= DNS_LABEL_MAX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, DNS_LABEL_MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

function assertNamePart(what: string, value: string): void {
  // Project names and deployment ids (`20261122-0132-k3f9`) are DNS labels already.
  if (!isDnsLabel(value)) {
    throw new Error(
      `invalid ${what} ${JSON.stringify(value)}: expected at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
}

/**
 * `<project>.rise-auth`: the Ingress sending a private project's `/.rise/auth/*` to Rise. Ingress names
 * may contain dots and project names never do, so no project's own Ingress can have this name.
 */
export function handshakeIngressName(project: string): string {
  return `${serviceName(project)}.rise-auth`;
}
