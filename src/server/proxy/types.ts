/** The routing layer (Caddy) as the deploy engine sees it. */

export type TlsMode = 'acme' | 'internal' | 'off';

export type ProjectRoute = {
  project: string;
  /** `<project>.<base domain>` plus verified custom domains. */
  hosts: string[];
  /** `running`: proxy to the slots; `stopped`: answer the stopped page (503). */
  state: 'running' | 'stopped';
  /** The project's two upstream slots in fixed order, e.g. ['127.0.0.1:20001', '127.0.0.1:20002']. */
  upstreams: [string, string];
  healthPath: string;
  /** Private projects sit behind forward-auth to Rise. */
  visibility: 'public' | 'private';
  /**
   * The deployment that serves the route while `running` (the one just made healthy during a
   * deploy), null when none. Caddy ignores it (it balances over both slots); Kubernetes points the
   * project's Service at it.
   */
  activeDeploymentId: string | null;
  /** The port the app listens on inside its container (Kubernetes' Service targetPort). */
  port: number;
};

export interface Proxy {
  /** Ensures Rise's server exists with its listeners, TLS settings and on-demand `ask` endpoint. */
  prepare(): Promise<void>;
  /** Creates or replaces the route of one project (stable `@id`); a no-op when unchanged. */
  upsertRoute(route: ProjectRoute): Promise<void>;
  removeRoute(project: string): Promise<void>;
  /** Projects that currently have a route. */
  listRoutes(): Promise<string[]>;
}
