import { groupKey } from '@/shared/deployment-groups';

/** The routing layer (Caddy) as the deploy engine sees it. */

export type TlsMode = 'acme' | 'internal' | 'off';

export type ProjectRoute = {
  project: string;
  /**
   * The slug of the deployment group this route serves (`mr--26`; absent: `default`, the project's
   * own URL). Each group has
   * its own route, keyed by `routeKey` (`<project>` or `<project>.<group slug>`).
   */
  group?: string;
  /** Default group: `<project>.<base domain>` plus verified custom domains; other groups: their host. */
  hosts: string[];
  /** `running`: proxy to the slots; `stopped`: answer the stopped page (503). */
  state: 'running' | 'stopped';
  /**
   * Where the active instance answers (its slot's address, e.g. 127.0.0.1:20002); the only place the
   * proxy sends the project's traffic. Changing it is the traffic switch of a deploy: written once,
   * after Rise's own health check of the new instance. Unused while `stopped`.
   */
  upstream: string | null;
  /**
   * Where the active deployment's other web replicas answer (replicas 1…N-1), in replica order; the
   * proxy balances over `upstream` and these. Absent or empty: one replica. Kubernetes ignores it (its
   * Service balances over the pods).
   */
  replicaUpstreams?: string[];
  healthPath: string;
  /** Private projects sit behind forward-auth to Rise. */
  visibility: 'public' | 'private';
  /**
   * The deployment that serves the route while `running` (the one just made healthy during a
   * deploy), null when none. Caddy dials `upstream`; Kubernetes points the project's Service at it.
   */
  activeDeploymentId: string | null;
  /** The port the app listens on inside its container (Kubernetes' Service targetPort). */
  port: number;
};

export interface Router {
  /** Ensures Rise's server exists with its listeners, TLS settings and on-demand `ask` endpoint. */
  prepare(): Promise<void>;
  /**
   * Creates or replaces the route of one project (stable `@id`); a no-op when unchanged. Once it
   * returns, new requests follow the new route.
   */
  upsertRoute(route: ProjectRoute): Promise<void>;
  // Routes are named by `routeKey(route)`: the project name for a project's default group.
  /**
   * Of `routes`, the keys of those whose route the proxy does not have as given (missing or different),
   * read at once, so a reconcile of many projects writes (and locks) only what changed. Absent: every
   * route counts as outdated.
   */
  outdatedRoutes?(routes: ProjectRoute[]): Promise<Set<string>>;
  /** Removes the route `key` (a `routeKey`: a project name, or `<project>.<group slug>`). */
  removeRoute(key: string): Promise<void>;
  /** Keys (`routeKey`) of the routes the proxy has now. */
  listRoutes(): Promise<string[]>;
}

/** The name a route goes by in the proxy: see `groupKey`. */
export function routeKey(route: Pick<ProjectRoute, 'project' | 'group'>): string {
  return groupKey(route.project, route.group);
}
