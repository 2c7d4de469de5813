import { type ProjectRoute, type Router, routeKey } from './types';

export type FakeRouterCall =
  | { method: 'prepare' }
  | { method: 'upsertRoute'; route: ProjectRoute }
  | { method: 'outdatedRoutes'; projects: string[] }
  | { method: 'removeRoute'; project: string }
  | { method: 'listRoutes' };

type Method = FakeRouterCall['method'];

/**
 * In-memory Router for unit tests: the routes it holds, every call in order, and `failNext` to make
 * a call reject. The real routers are covered by caddy-proxy.int.test.ts and the Kubernetes tests.
 */
export class FakeRouter implements Router {
  readonly calls: FakeRouterCall[] = [];
  readonly routes = new Map<string, ProjectRoute>();
  prepared = false;
  private readonly failures = new Map<Method, Error[]>();

  /** Makes the next call of `method` reject with `error` (queued: one error per call). */
  failNext(method: Method, error: Error | string): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(typeof error === 'string' ? new Error(error) : error);
    this.failures.set(method, queue);
  }

  callsOf<M extends Method>(method: M): Extract<FakeRouterCall, { method: M }>[] {
    return this.calls.filter(
      (call): call is Extract<FakeRouterCall, { method: M }> => call.method === method,
    );
  }

  async prepare(): Promise<void> {
    this.record({ method: 'prepare' });
    this.prepared = true;
  }

  async upsertRoute(route: ProjectRoute): Promise<void> {
    this.record({ method: 'upsertRoute', route: structuredClone(route) });
    this.routes.set(routeKey(route), structuredClone(route));
  }

  async outdatedRoutes(routes: ProjectRoute[]): Promise<Set<string>> {
    this.record({ method: 'outdatedRoutes', projects: routes.map(routeKey) });
    return new Set(
      routes.filter((route) => !sameRoute(this.routes.get(routeKey(route)), route)).map(routeKey),
    );
  }

  async removeRoute(project: string): Promise<void> {
    this.record({ method: 'removeRoute', project });
    this.routes.delete(project);
  }

  async listRoutes(): Promise<string[]> {
    this.record({ method: 'listRoutes' });
    return [...this.routes.keys()];
  }

  private record(call: FakeRouterCall): void {
    this.calls.push(call);
    const error = this.failures.get(call.method)?.shift();
    if (error) throw error;
  }
}

function sameRoute(held: ProjectRoute | undefined, wanted: ProjectRoute): boolean {
  if (!held) return false;
  const canonical = (route: ProjectRoute) => JSON.stringify(route, Object.keys(route).sort());
  return canonical(held) === canonical(wanted);
}
