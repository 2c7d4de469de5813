import type { V1Ingress, V1IngressTLS, V1Service } from '@kubernetes/client-node';
import { AppError } from '@/server/errors';
import type { ProjectRoute, Router } from '@/server/proxy/types';
import { groupKey } from '@/shared/deployment-groups';
import { HANDSHAKE_PATH_REGEX, HANDSHAKE_REWRITE_TARGET, nginxAuthUrl } from './ingress-auth';
import {
  ignoreKubeStatus,
  type KubeApis,
  type KubeConfigSource,
  kubeMessage,
  lazyKubeApis,
} from './kube-client';
import type { KubernetesRuntime } from './kubernetes-runtime';
import { groupLabels, isOwned, LABELS, labelSelector, ownerLabels, ownerProblem } from './labels';
import { handshakeServiceManifest } from './manifests';
import {
  HANDSHAKE_SERVICE_NAME,
  handshakeIngressName,
  ingressName,
  otherGroup,
  serviceName,
  tlsSecretName,
} from './names';

export type KubernetesRouterOptions = {
  /** The runtime whose Deployments the routes point at (the Service is its `setServiceTarget`). */
  runtime: KubernetesRuntime;
  /** Cluster access; a function is called once, on first use. */
  kubeConfig: KubeConfigSource;
  /** RISE_KUBE_INGRESS_CLASS: the Ingress' class; without it the cluster's default class serves it. */
  ingressClass?: string | null;
  /**
   * TLS for the project's hosts: one Secret for every project (RISE_KUBE_TLS_SECRET, e.g. a wildcard
   * certificate the administrator keeps in each namespace), or a per-project certificate from a
   * cert-manager ClusterIssuer (RISE_KUBE_CERT_MANAGER_ISSUER); null for plain HTTP.
   */
  tls?: { secretName: string } | { clusterIssuer: string } | null;
  /**
   * Private projects on ingress-nginx: Rise's forward-auth endpoint (`auth-url`, pinned to the project
   * per Ingress), where a refused browser goes (`auth-signin`: the handshake's start on the app host),
   * and Rise's web Service as the controller reaches it (the handshake Ingress' backend).
   */
  auth: { url: string; signinUrl: string; riseService: { host: string; port: number } };
  /** Added to every object created (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
};

export const INGRESS_ANNOTATIONS = {
  clusterIssuer: 'cert-manager.io/cluster-issuer',
  authUrl: 'nginx.ingress.kubernetes.io/auth-url',
  authSignin: 'nginx.ingress.kubernetes.io/auth-signin',
  authResponseHeaders: 'nginx.ingress.kubernetes.io/auth-response-headers',
  proxyBufferSize: 'nginx.ingress.kubernetes.io/proxy-buffer-size',
  rewriteTarget: 'nginx.ingress.kubernetes.io/rewrite-target',
  useRegex: 'nginx.ingress.kubernetes.io/use-regex',
} as const;

/**
 * Headers of the request to a private app that ingress-nginx sets from Rise's auth answer (and drops
 * when the answer lacks them): the member's name, and `Authorization` / `Cookie` as Rise hands them
 * back without Rise's credentials (see forward-auth.ts).
 */
export const AUTH_RESPONSE_HEADERS = ['X-Rise-User', 'Authorization', 'Cookie'];
/**
 * nginx reads the auth answer into one buffer (4k by default), and the answer repeats the request's
 * Cookie and Authorization (each at most 8k, ingress-nginx's large-client-header-buffers): a larger
 * answer would turn into a 500 for the visitor.
 */
export const AUTH_PROXY_BUFFER_SIZE = '24k';

/** A route key (`routeKey`) as project and group slug (absent: the default group). */
type RouteGroup = { project: string; group?: string };

/**
 * Routing on Kubernetes, as the deploy engine's `Router`: a running route's Service points at its
 * group's active deployment and an Ingress (in the project's namespace) sends the route's hosts to
 * the Service's port 80. The default group's are named after the project (`<project>`), each other
 * group has its own (see names.ts: `serviceName`, `ingressName`), so a group's deploy or removal never
 * touches another group's. A stopped route has no Ingress: its hosts get the ingress controller's
 * default answer (usually 404), not a "stopped" page as with Caddy.
 */
export class KubernetesRouter implements Router {
  private readonly runtime: KubernetesRuntime;
  private readonly ingressClass: string | null;
  private readonly tls: KubernetesRouterOptions['tls'];
  private readonly auth: KubernetesRouterOptions['auth'];
  private readonly extraLabels: Record<string, string>;
  private readonly apis: () => Promise<KubeApis>;

  constructor(options: KubernetesRouterOptions) {
    this.runtime = options.runtime;
    this.apis = lazyKubeApis(options.kubeConfig);
    this.ingressClass = options.ingressClass ?? null;
    this.tls = options.tls ?? null;
    this.auth = options.auth;
    this.extraLabels = options.extraLabels ?? {};
  }

  /** Nothing to set up: the ingress controller is the cluster's. Checks that Ingresses can be listed. */
  async prepare(): Promise<void> {
    try {
      await this.listIngresses(1);
    } catch (error) {
      throw new Error(`cannot list Ingresses through the Kubernetes API: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  async upsertRoute(route: ProjectRoute): Promise<void> {
    const { project } = route;
    const group = otherGroup(route.group);
    if (route.state !== 'running' || !route.activeDeploymentId) {
      // Stopped (or nothing to serve): no Ingress, the controller answers for the hosts.
      await this.deleteIngresses(this.runtime.namespaceFor(project), [
        ingressName(project, group),
        handshakeIngressName(project, group),
      ]);
      return;
    }
    try {
      await this.runtime.setServiceTarget(project, route.activeDeploymentId, route.port, group);
    } catch (error) {
      // The active deployment's Deployment is missing (deleted by hand, a crashed rollout): the
      // Service keeps its target and reconcile starts the deployment again; the Ingress is still kept.
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
    }
    if (route.visibility === 'private') {
      // Before the Ingress that sends refused browsers to `/.rise/auth/start`.
      await this.writeService(this.handshakeServiceManifest(project));
      await this.writeIngress(this.handshakeIngressManifest(route));
    } else {
      await this.deleteHandshake({ project, group });
    }
    await this.writeIngress(this.ingressManifest(route));
  }

  /**
   * Deletes the Ingresses and Service of the route `key` (`<project>`: the default group's,
   * `<project>.<group slug>`: that group's); the Deployments are the runtime's. Idempotent.
   */
  async removeRoute(key: string): Promise<void> {
    const { project, group } = parseRouteKey(key);
    await this.deleteIngresses(this.runtime.namespaceFor(project), [ingressName(project, group)]);
    await this.deleteHandshake({ project, group });
    await this.runtime.deleteService(project, group);
  }

  /** Keys (`routeKey`) of the routes with an Ingress of this installation. */
  async listRoutes(): Promise<string[]> {
    const keys = new Set<string>();
    for (const ingress of await this.listIngresses()) {
      const labels = ingress.metadata?.labels;
      const project = labels?.[LABELS.project];
      if (!project) continue;
      const group = labels?.[LABELS.group];
      // Only where upsertRoute / removeRoute find it again.
      const names = routeIngressNames(project, group);
      if (
        names?.includes(ingress.metadata?.name ?? '') &&
        ingress.metadata?.namespace === this.runtime.namespaceFor(project)
      )
        keys.add(groupKey(project, group));
    }
    return [...keys].sort();
  }

  /** The group's Ingress: every host to its Service's port 80, with TLS and forward-auth as configured. */
  ingressManifest(route: ProjectRoute): V1Ingress {
    const group = otherGroup(route.group);
    const annotations: Record<string, string> = {};
    if (this.tls && 'clusterIssuer' in this.tls)
      annotations[INGRESS_ANNOTATIONS.clusterIssuer] = this.tls.clusterIssuer;
    if (route.visibility === 'private') {
      annotations[INGRESS_ANNOTATIONS.authUrl] = nginxAuthUrl(this.auth.url, route.project);
      annotations[INGRESS_ANNOTATIONS.authSignin] = this.auth.signinUrl;
      annotations[INGRESS_ANNOTATIONS.authResponseHeaders] = AUTH_RESPONSE_HEADERS.join(',');
      annotations[INGRESS_ANNOTATIONS.proxyBufferSize] = AUTH_PROXY_BUFFER_SIZE;
    }
    return this.ingress(route, ingressName(route.project, group), annotations, {
      path: '/',
      pathType: 'Prefix',
      service: serviceName(route.project, group),
      port: 80,
    });
  }

  /**
   * A private project's second Ingress, one per group: `/.rise/auth/start` and `/.rise/auth/complete`
   * on the route's hosts to Rise's `/api/proxy/app-auth/*`, without forward-auth (the handshake is how
   * a browser gets through it). A separate object because ingress-nginx applies rewrite-target to
   * every path of the Ingress carrying it. TLS names the same Secret without the cert-manager
   * annotation: the group's main Ingress owns the certificate.
   */
  handshakeIngressManifest(route: ProjectRoute): V1Ingress {
    return this.ingress(
      route,
      handshakeIngressName(route.project, otherGroup(route.group)),
      {
        [INGRESS_ANNOTATIONS.useRegex]: 'true',
        [INGRESS_ANNOTATIONS.rewriteTarget]: HANDSHAKE_REWRITE_TARGET,
      },
      {
        path: HANDSHAKE_PATH_REGEX,
        pathType: 'ImplementationSpecific',
        service: HANDSHAKE_SERVICE_NAME,
        port: this.auth.riseService.port,
      },
    );
  }

  /** The ExternalName Service to Rise in the project's namespace (shared by all projects of a shared one). */
  handshakeServiceManifest(project: string): V1Service {
    const namespace = this.runtime.namespaceFor(project);
    const shared = this.runtime.sharedNamespaceName !== null;
    return handshakeServiceManifest(this.auth.riseService, {
      instance: this.runtime.instance,
      namespace,
      extraLabels: this.extraLabels,
      ...(shared ? {} : { project }),
    });
  }

  private ingress(
    route: ProjectRoute,
    name: string,
    annotations: Record<string, string>,
    backend: { path: string; pathType: string; service: string; port: number },
  ): V1Ingress {
    const hosts = [...new Set(route.hosts)];
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        namespace: this.runtime.namespaceFor(route.project),
        labels: {
          ...this.extraLabels,
          ...groupLabels(this.runtime.instance, route.project, otherGroup(route.group)),
        },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        ...(this.ingressClass ? { ingressClassName: this.ingressClass } : {}),
        ...(this.tls ? { tls: [this.tlsFor(route, hosts)] } : {}),
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: [
              {
                path: backend.path,
                pathType: backend.pathType,
                backend: { service: { name: backend.service, port: { number: backend.port } } },
              },
            ],
          },
        })),
      },
    };
  }

  private tlsFor(route: ProjectRoute, hosts: string[]): V1IngressTLS {
    const tls = this.tls ?? { secretName: '' };
    const secretName =
      'secretName' in tls ? tls.secretName : tlsSecretName(route.project, otherGroup(route.group));
    return { hosts, secretName };
  }

  /** Creates or replaces an Ingress of this installation; one of someone else is never touched. */
  private async writeIngress(body: V1Ingress): Promise<void> {
    const name = body.metadata?.name ?? '';
    const namespace = body.metadata?.namespace ?? '';
    const { networking } = await this.apis();
    try {
      const current = await ignoreKubeStatus([404], () =>
        networking.readNamespacedIngress({ name, namespace }),
      );
      if (current) {
        this.assertOwned(`Ingress ${namespace}/${name}`, current.metadata?.labels);
        await networking.replaceNamespacedIngress({ name, namespace, body });
        return;
      }
      const created = await ignoreKubeStatus([409], () =>
        networking.createNamespacedIngress({ namespace, body }),
      );
      if (!created) {
        const raced = await networking.readNamespacedIngress({ name, namespace });
        this.assertOwned(`Ingress ${namespace}/${name}`, raced.metadata?.labels);
        await networking.replaceNamespacedIngress({ name, namespace, body });
      }
    } catch (error) {
      throw new Error(`could not write Ingress ${name} in namespace ${namespace}: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  /** Creates the handshake Service, or replaces its spec when it changed (RISE_KUBE_RISE_SERVICE). */
  private async writeService(body: V1Service): Promise<void> {
    const name = body.metadata?.name ?? '';
    const namespace = body.metadata?.namespace ?? '';
    const { core } = await this.apis();
    try {
      let current = await ignoreKubeStatus([404], () => core.readNamespacedService({ name, namespace }));
      if (!current) {
        if (await ignoreKubeStatus([409], () => core.createNamespacedService({ namespace, body }))) return;
        current = await core.readNamespacedService({ name, namespace });
      }
      this.assertOwned(`Service ${namespace}/${name}`, current.metadata?.labels);
      const spec = current.spec;
      const wanted = body.spec;
      const port = spec?.ports?.[0];
      if (
        spec?.type === wanted?.type &&
        spec?.externalName === wanted?.externalName &&
        spec?.ports?.length === 1 &&
        port?.port === wanted?.ports?.[0]?.port &&
        Number(port?.targetPort) === Number(wanted?.ports?.[0]?.targetPort)
      )
        return;
      await core.replaceNamespacedService({
        name,
        namespace,
        body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } },
      });
    } catch (error) {
      throw new Error(`could not write Service ${name} in namespace ${namespace}: ${kubeMessage(error)}`, {
        cause: error,
      });
    }
  }

  /**
   * Removes a group's handshake Ingress, then the handshake Service of the project's own namespace once
   * no Ingress there uses it (the project's other groups may still be private; in a shared namespace
   * other projects use it, so it stays).
   */
  private async deleteHandshake({ project, group }: RouteGroup): Promise<void> {
    const namespace = this.runtime.namespaceFor(project);
    await this.deleteIngresses(namespace, [handshakeIngressName(project, group)]);
    if (this.runtime.sharedNamespaceName !== null) return;
    const { core, networking } = await this.apis();
    const selector = labelSelector(ownerLabels(this.runtime.instance));
    const ingresses = await networking.listNamespacedIngress({ namespace, labelSelector: selector });
    if (ingresses.items.some(usesHandshakeService)) return;
    const name = HANDSHAKE_SERVICE_NAME;
    const service = await ignoreKubeStatus([404], () => core.readNamespacedService({ name, namespace }));
    if (service && isOwned(this.runtime.instance, service.metadata?.labels)) {
      await ignoreKubeStatus([404], () => core.deleteNamespacedService({ name, namespace }));
    }
  }

  /** This installation's Ingresses: in the shared namespace (a Role allows no more), else everywhere. */
  private async listIngresses(limit?: number): Promise<V1Ingress[]> {
    const { networking } = await this.apis();
    const selector = labelSelector(ownerLabels(this.runtime.instance));
    const shared = this.runtime.sharedNamespaceName;
    const list = shared
      ? await networking.listNamespacedIngress({ namespace: shared, labelSelector: selector, limit })
      : await networking.listIngressForAllNamespaces({ labelSelector: selector, limit });
    return list.items;
  }

  private async deleteIngresses(namespace: string, names: string[]): Promise<void> {
    const { networking } = await this.apis();
    for (const name of names) {
      const current = await ignoreKubeStatus([404], () =>
        networking.readNamespacedIngress({ name, namespace }),
      );
      if (!current) continue;
      this.assertOwned(`Ingress ${namespace}/${name}`, current.metadata?.labels);
      await ignoreKubeStatus([404], () => networking.deleteNamespacedIngress({ name, namespace }));
    }
  }

  private assertOwned(what: string, labels: Record<string, string> | undefined): void {
    if (!isOwned(this.runtime.instance, labels)) {
      throw new Error(`${what} exists but ${ownerProblem(this.runtime.instance, labels)}; not touching it`);
    }
  }
}

/**
 * `shop` → the default group of shop; `shop.mr--26` → its group `mr--26` (project names and slugs have
 * no '.'). Refuses what no route of Rise is named.
 */
function parseRouteKey(key: string): RouteGroup {
  const [project = '', slug, ...rest] = key.split('.');
  const group = otherGroup(slug);
  // `shop.default` is no key: the default group's is the project name.
  if (rest.length > 0 || (slug !== undefined && group === undefined)) {
    throw new Error(`invalid route key ${JSON.stringify(key)}: expected <project> or <project>.<group slug>`);
  }
  serviceName(project); // checks the project name
  return { project, group };
}

/** The Ingress names a route of `project`'s group has (its own, its handshake's); null when invalid. */
function routeIngressNames(project: string, group: string | undefined): string[] | null {
  try {
    return [ingressName(project, group), handshakeIngressName(project, group)];
  } catch {
    return null;
  }
}

function usesHandshakeService(ingress: V1Ingress): boolean {
  return (ingress.spec?.rules ?? []).some((rule) =>
    (rule.http?.paths ?? []).some((path) => path.backend.service?.name === HANDSHAKE_SERVICE_NAME),
  );
}
