/** The routing layer (Caddy) as the deploy engine sees it. */

export type TlsMode = 'acme' | 'internal' | 'off';

export type ProjectRoute = {
  project: string;
  /** `<project>.<base domain>` plus verified custom domains. */
  hosts: string[];
  /** `running`: proxy to the slots; `stopped`: answer the stopped page (503). */
  state: 'running' | 'stopped';
  /**
   * Where the active instance answers (its slot's address, e.g. 127.0.0.1:20002); the only place the
   * proxy sends the project's traffic. Changing it is the traffic switch of a deploy: written once,
   * after Rise's own health check of the new instance. Unused while `stopped`.
   */
  upstream: string | null;
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
  /**
   * Of `routes`, the projects whose route the proxy does not have as given (missing or different),
   * read at once, so a reconcile of many projects writes (and locks) only what changed. Absent: every
   * route counts as outdated.
   */
  outdatedRoutes?(routes: ProjectRoute[]): Promise<Set<string>>;
  removeRoute(project: string): Promise<void>;
  /** Projects that currently have a route. */
  listRoutes(): Promise<string[]>;
}
