import type { KubeConfig, V1Ingress } from '@kubernetes/client-node';
import { AppError } from '@/server/errors';
import type { ProjectRoute, Proxy as RouteProxy } from '@/server/proxy/types';
import { createKubeApis, ignoreKubeStatus, type KubeApis, kubeMessage } from './kube-client';
import type { KubernetesRuntime } from './kubernetes-runtime';
import { isOwned, LABELS, labelSelector, ownerLabels, ownerProblem, projectLabels } from './labels';
import { serviceName } from './names';

export type KubernetesRouterOptions = {
  /** The runtime whose Deployments the routes point at (the Service is its `setServiceTarget`). */
  runtime: KubernetesRuntime;
  /** Cluster access; a function is called once, on first use. */
  kubeConfig: KubeConfig | (() => Promise<KubeConfig>);
  /** RISE_KUBE_INGRESS_CLASS: the Ingress' class; without it the cluster's default class serves it. */
  ingressClass?: string | null;
  /**
   * TLS for the project's hosts: one Secret for every project (RISE_KUBE_TLS_SECRET, e.g. a wildcard
   * certificate the administrator keeps in each namespace), or a per-project certificate from a
   * cert-manager ClusterIssuer (RISE_KUBE_CERT_MANAGER_ISSUER); null for plain HTTP.
   */
  tls?: { secretName: string } | { clusterIssuer: string } | null;
  /** Forward-auth for private projects (ingress-nginx `auth-url` / `auth-signin`). */
  auth: { url: string; signinUrl: string };
  /** Added to every object created (tests use `rise.test=<run id>`). */
  extraLabels?: Record<string, string>;
};

export const INGRESS_ANNOTATIONS = {
  clusterIssuer: 'cert-manager.io/cluster-issuer',
  authUrl: 'nginx.ingress.kubernetes.io/auth-url',
  authSignin: 'nginx.ingress.kubernetes.io/auth-signin',
  authResponseHeaders: 'nginx.ingress.kubernetes.io/auth-response-headers',
} as const;

/** The Secret cert-manager writes a project's certificate to when RISE_KUBE_CERT_MANAGER_ISSUER is set. */
export function tlsSecretName(project: string): string {
  return `${serviceName(project)}-tls`;
}

/**
 * Routing on Kubernetes, as the deploy engine's `Proxy`: a running project's Service points at its
 * active deployment and an Ingress `<project>` (in the project's namespace) sends its hosts to the
 * Service's port 80. A stopped project has no Ingress: its hosts get the ingress controller's default
 * answer (usually 404), not a "stopped" page as with Caddy.
 */
export class KubernetesRouter implements RouteProxy {
  private readonly runtime: KubernetesRuntime;
  private readonly kubeConfig: KubernetesRouterOptions['kubeConfig'];
  private readonly ingressClass: string | null;
  private readonly tls: KubernetesRouterOptions['tls'];
  private readonly auth: KubernetesRouterOptions['auth'];
  private readonly extraLabels: Record<string, string>;
  private apisLoading: Promise<KubeApis> | null = null;

  constructor(options: KubernetesRouterOptions) {
    this.runtime = options.runtime;
    this.kubeConfig = options.kubeConfig;
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
    if (route.state !== 'running' || !route.activeDeploymentId) {
      // Stopped (or nothing to serve): no Ingress, the controller answers for the hosts.
      await this.deleteIngress(route.project);
      return;
    }
    try {
      await this.runtime.setServiceTarget(route.project, route.activeDeploymentId, route.port);
    } catch (error) {
      // The active deployment's Deployment is missing (deleted by hand, a crashed rollout): the
      // Service keeps its target and reconcile starts the deployment again; the Ingress is still kept.
      if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
    }
    const body = this.ingressManifest(route);
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

  /** Deletes the project's Ingress and Service (the Deployments are the runtime's). Idempotent. */
  async removeRoute(project: string): Promise<void> {
    await this.deleteIngress(project);
    const namespace = this.runtime.namespaceFor(project);
    const name = serviceName(project);
    const { core } = await this.apis();
    const service = await ignoreKubeStatus([404], () => core.readNamespacedService({ name, namespace }));
    if (service && isOwned(this.runtime.instance, service.metadata?.labels)) {
      await ignoreKubeStatus([404], () => core.deleteNamespacedService({ name, namespace }));
    }
  }

  /** Projects with an Ingress of this installation. */
  async listRoutes(): Promise<string[]> {
    const projects = new Set<string>();
    for (const ingress of await this.listIngresses()) {
      const project = ingress.metadata?.labels?.[LABELS.project];
      // Only where upsertRoute / removeRoute find it again.
      if (project && ingress.metadata?.namespace === this.runtime.namespaceFor(project))
        projects.add(project);
    }
    return [...projects].sort();
  }

  /** The project's Ingress: every host to the Service's port 80, with TLS and forward-auth as configured. */
  ingressManifest(route: ProjectRoute): V1Ingress {
    const name = serviceName(route.project);
    const annotations: Record<string, string> = {};
    if (this.tls && 'clusterIssuer' in this.tls)
      annotations[INGRESS_ANNOTATIONS.clusterIssuer] = this.tls.clusterIssuer;
    if (route.visibility === 'private') {
      annotations[INGRESS_ANNOTATIONS.authUrl] = this.auth.url;
      annotations[INGRESS_ANNOTATIONS.authSignin] = this.auth.signinUrl;
      // The member the auth endpoint allowed, for the app (as Caddy's forward-auth copies it).
      annotations[INGRESS_ANNOTATIONS.authResponseHeaders] = 'X-Rise-User';
    }
    const hosts = [...new Set(route.hosts)];
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        namespace: this.runtime.namespaceFor(route.project),
        labels: { ...this.extraLabels, ...projectLabels(this.runtime.instance, route.project) },
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      spec: {
        ...(this.ingressClass ? { ingressClassName: this.ingressClass } : {}),
        ...(this.tls
          ? {
              tls: [
                {
                  hosts,
                  secretName: 'secretName' in this.tls ? this.tls.secretName : tlsSecretName(route.project),
                },
              ],
            }
          : {}),
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name, port: { number: 80 } } },
              },
            ],
          },
        })),
      },
    };
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

  private async deleteIngress(project: string): Promise<void> {
    const namespace = this.runtime.namespaceFor(project);
    const name = serviceName(project);
    const { networking } = await this.apis();
    const current = await ignoreKubeStatus([404], () =>
      networking.readNamespacedIngress({ name, namespace }),
    );
    if (!current) return;
    this.assertOwned(`Ingress ${namespace}/${name}`, current.metadata?.labels);
    await ignoreKubeStatus([404], () => networking.deleteNamespacedIngress({ name, namespace }));
  }

  private assertOwned(what: string, labels: Record<string, string> | undefined): void {
    if (!isOwned(this.runtime.instance, labels)) {
      throw new Error(`${what} exists but ${ownerProblem(this.runtime.instance, labels)}; not touching it`);
    }
  }

  private apis(): Promise<KubeApis> {
    this.apisLoading ??= (async () => {
      const config = typeof this.kubeConfig === 'function' ? await this.kubeConfig() : this.kubeConfig;
      return createKubeApis(config);
    })();
    this.apisLoading.catch(() => {
      this.apisLoading = null;
    });
    return this.apisLoading;
  }
}
