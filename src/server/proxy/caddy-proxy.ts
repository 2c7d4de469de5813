import { CaddyClient, isPreconditionFailed } from './caddy-client';
import { enableListenerMigration, MIGRATION_OFF_HINT } from './listener-migration';
import {
  arrangeRoutes,
  buildProjectRoute,
  buildServer,
  buildServerSettings,
  buildTlsPolicy,
  type CaddyJson,
  type CaddyObject,
  httpAppPorts,
  NOT_FOUND_ROUTE_ID,
  normaliseRoute,
  projectFromRouteId,
  projectRouteId,
  SERVER_NAME,
  type ServerSettings,
  TLS_POLICY_ID,
  tlsAskUrl,
} from './routes';
import { type ProjectRoute, type Router, routeKey } from './types';

export type CaddyProxyConfig = ServerSettings & {
  /** Caddy's admin API, e.g. http://127.0.0.1:2019. */
  adminUrl: string;
  /** Rise's web server as Caddy dials it for forward-auth, e.g. 127.0.0.1:3000. */
  authUpstream: string;
  /** Proxies in front of Caddy whose X-Forwarded-* headers apps receive (see RouteOptions). */
  trustedProxies?: string[];
  /**
   * Caddy shares this process's network namespace (`npm start`): turn on net.ipv4.tcp_migrate_req
   * there once (as root; else warn), so route writes reset no new connection (listener-migration.ts).
   */
  migrateListeners?: boolean;
};

let listenerMigration: Promise<void> | null = null;

const SERVER_PATH = ['apps', 'http', 'servers', SERVER_NAME];
const ROUTES_PATH = [...SERVER_PATH, 'routes'].join('/');
/** Attempts of a read-compare-write when another writer changed the routes in between (HTTP 412). */
const MAX_ATTEMPTS = 5;

/**
 * Rise's routing through Caddy's admin API. Every config change makes Caddy reload its HTTP app
 * (closing idle kept-alive client connections, which `npm start`'s edge never keeps), so nothing is
 * written when the config already says the same: a redeploy writes exactly one route, the switch.
 * Other servers, apps and `admin` that an operator configured are never replaced.
 */
export class CaddyProxy implements Router {
  readonly client: CaddyClient;

  private readonly config: CaddyProxyConfig;

  constructor(config: CaddyProxyConfig, client?: CaddyClient) {
    // Rise's web server answers custom-domain HTTP challenges, as it answers forward-auth.
    this.config = { ...config, challengeUpstream: config.challengeUpstream ?? config.authUpstream };
    this.client = client ?? new CaddyClient({ adminUrl: config.adminUrl });
  }

  async prepare(): Promise<void> {
    if (this.config.migrateListeners) {
      listenerMigration ??= enableListenerMigration().then((state) => {
        if (state === 'off') console.warn(`[rise] ${MIGRATION_OFF_HINT}`);
      });
      await listenerMigration;
    }
    // TLS settings first: a server with hosts and no matching policy would start obtaining
    // certificates eagerly from the default CA.
    await this.ensureTls();
    await this.ensureServer();
  }

  async upsertRoute(route: ProjectRoute): Promise<void> {
    const desired = buildProjectRoute(route, this.routeOptions());
    const id = projectRouteId(routeKey(route));
    let prepared = false;
    for (let attempt = 1; ; attempt++) {
      const { value: routes, etag } = await this.client.getConfigVersioned<CaddyJson>(ROUTES_PATH);
      try {
        if (!Array.isArray(routes)) {
          // No Rise server (e.g. Caddy restarted without --resume): create it, then try again.
          if (!prepared && (await this.client.getConfig(SERVER_PATH.join('/'))) === null) {
            await this.prepare();
            prepared = true;
            continue;
          }
          await this.client.post(ROUTES_PATH, [desired], { ifMatch: etag });
          return;
        }
        const index = routes.findIndex((item) => routeId(item) === id);
        if (index >= 0) {
          if (normaliseRoute(routes[index]) === normaliseRoute(desired)) return;
          await this.client.patchById(id, desired, { ifMatch: etag });
          return;
        }
        // Project routes go after the head routes (the dashboard first: a project never answers for
        // Rise's own host) and before the not-found route.
        const tail = routes.findIndex((item) => routeId(item) === NOT_FOUND_ROUTE_ID);
        if (tail >= 0) await this.client.put(`${ROUTES_PATH}/${tail}`, desired, { ifMatch: etag });
        else await this.client.post(ROUTES_PATH, desired, { ifMatch: etag });
        return;
      } catch (error) {
        if (isPreconditionFailed(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async outdatedRoutes(routes: ProjectRoute[]): Promise<Set<string>> {
    const current = await this.client.getConfig<CaddyJson>(ROUTES_PATH);
    const have = new Map<string, string>();
    if (Array.isArray(current)) {
      for (const item of current) {
        const id = routeId(item);
        if (typeof id === 'string') have.set(id, normaliseRoute(item));
      }
    }
    const outdated = new Set<string>();
    for (const route of routes) {
      const desired = normaliseRoute(buildProjectRoute(route, this.routeOptions()));
      if (have.get(projectRouteId(routeKey(route))) !== desired) outdated.add(routeKey(route));
    }
    return outdated;
  }

  async removeRoute(key: string): Promise<void> {
    await this.client.deleteById(projectRouteId(key));
  }

  async listRoutes(): Promise<string[]> {
    const routes = await this.client.getConfig<CaddyJson>(ROUTES_PATH);
    if (!Array.isArray(routes)) return [];
    return routes.map((item) => projectFromRouteId(routeId(item))).filter((name) => name !== null);
  }

  private routeOptions() {
    return { authUpstream: this.config.authUpstream, trustedProxies: this.config.trustedProxies };
  }

  private async ensureTls(): Promise<void> {
    const policy = buildTlsPolicy(this.config.tlsMode);
    if (!policy) {
      // Looked up in the policies rather than by `@id`: Caddy logs every unknown id as an error, and
      // with TLS off there is normally none (each reconcile would log one).
      // The whole config, walked here: GET of a missing path is logged as an error too.
      const root = await this.client.getConfig<CaddyJson>('');
      const policies = valueAt(root, ['apps', 'tls', 'automation', 'policies']);
      const present = Array.isArray(policies) && policies.some((item) => routeId(item) === TLS_POLICY_ID);
      if (present) await this.client.deleteById(TLS_POLICY_ID);
      return;
    }
    // As root, Caddy would otherwise add its local CA to the system trust store.
    await this.ensureValue(['apps', 'pki', 'certificate_authorities', 'local', 'install_trust'], false);
    await this.ensureValue(['apps', 'tls', 'automation', 'on_demand', 'ask'], tlsAskUrl(this.config.riseUrl));
    const existing = await this.client.getById(TLS_POLICY_ID);
    if (existing === null) {
      const policiesPath = ['apps', 'tls', 'automation', 'policies'];
      const { value: policies, etag } = await this.client.getConfigVersioned(policiesPath.join('/'));
      // Appended: a catch-all policy must come after the operator's policies for specific hosts.
      if (Array.isArray(policies)) await this.client.post(policiesPath.join('/'), policy, { ifMatch: etag });
      else await this.ensureValue(policiesPath, [policy]);
    } else if (normaliseRoute(existing) !== normaliseRoute(policy)) {
      await this.client.patchById(TLS_POLICY_ID, policy);
    }
  }

  private async ensureServer(): Promise<void> {
    const ports = httpAppPorts(this.config);
    if (ports) {
      await this.ensureValue(['apps', 'http', 'http_port'], ports.http_port);
      await this.ensureValue(['apps', 'http', 'https_port'], ports.https_port);
    }
    if ((await this.client.getConfig(SERVER_PATH.join('/'))) === null) {
      await this.ensureValue(SERVER_PATH, buildServer(this.config));
      return;
    }
    const settings = buildServerSettings(this.config);
    await this.ensureValue([...SERVER_PATH, 'listen'], settings.listen);
    await this.ensureValue([...SERVER_PATH, 'automatic_https'], settings.automatic_https);
    await this.ensureRouteOrder();
  }

  /**
   * Base routes present and up to date, the head ones (challenge, redirect, dashboard) before every
   * project route and not-found last; one write, only when something differs.
   */
  private async ensureRouteOrder(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { value: routes, etag } = await this.client.getConfigVersioned<CaddyJson>(ROUTES_PATH);
      const desired = arrangeRoutes(Array.isArray(routes) ? routes : [], this.config);
      if (Array.isArray(routes) && normaliseRoute(routes) === normaliseRoute(desired)) return;
      try {
        if (Array.isArray(routes)) await this.client.patch(ROUTES_PATH, desired, { ifMatch: etag });
        else await this.client.post(ROUTES_PATH, desired, { ifMatch: etag });
        return;
      } catch (error) {
        if (isPreconditionFailed(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /**
   * Makes the value at `path` equal `desired` (`undefined` = absent), creating missing parents and
   * writing nothing when it already is; returns whether the config changed.
   */
  private async ensureValue(path: string[], desired: CaddyJson | undefined): Promise<boolean> {
    const root = await this.client.getConfig<CaddyJson>('');
    let node: CaddyJson = root;
    let depth = 0;
    while (depth < path.length) {
      const child: CaddyJson | undefined = isObject(node) ? node[path[depth]!] : undefined;
      // A null value counts as absent: it is replaced like a missing key.
      if (child === undefined || child === null) break;
      node = child;
      depth++;
    }
    if (depth === path.length) {
      if (desired === undefined) {
        await this.client.delete(path.join('/'));
        return true;
      }
      if (normaliseRoute(node) === normaliseRoute(desired)) return false;
      await this.client.patch(path.join('/'), desired);
      return true;
    }
    if (desired === undefined) return false;
    // Caddy cannot create intermediate keys: POST the missing subtree at the first missing key.
    let value: CaddyJson = desired;
    for (let index = path.length - 1; index > depth; index--) value = { [path[index]!]: value };
    await this.client.post(path.slice(0, depth + 1).join('/'), value);
    return true;
  }
}

function isObject(value: CaddyJson | undefined): value is CaddyObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function valueAt(root: CaddyJson, path: string[]): CaddyJson | undefined {
  let node: CaddyJson | undefined = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return node;
}

function routeId(route: CaddyJson | undefined): unknown {
  return isObject(route) ? route['@id'] : undefined;
}
