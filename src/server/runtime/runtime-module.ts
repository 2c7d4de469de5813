import type { Env } from '@/env';
import type { Router } from '@/server/proxy/types';
import type { RuntimeName } from '@/shared/runtimes';
import type { Runtime } from './types';

/** Which host ports can take a slot: `check()` reads what is taken once, the function tests one port. */
export type HostPortCheck = { check(): Promise<(port: number) => Promise<boolean>> };

/** What a runtime changes in the deploy engine's settings (the rest come from the environment). */
export type EngineSettingsOverrides = { upstreamMode?: 'host' | 'network' };

/**
 * One runtime as the rest of the server plugs it in: everything the registry (registry.ts) needs to
 * run projects on it. Each runtime folder exports one; `Settings` must be plain JSON values (they key
 * the shared runtime instance).
 */
export interface RuntimeModule<
  Settings = unknown,
  R extends Runtime = Runtime,
  Name extends RuntimeName = RuntimeName,
> {
  readonly name: Name;
  /** What the runtime and its router read from the validated environment (src/env.ts). */
  settings(env: Env): Settings;
  createRuntime(settings: Settings): R;
  /** Routing to the runtime's instances. */
  createRouter(runtime: R, settings: Settings): Router;
  engineSettings?: EngineSettingsOverrides;
  /** Host-port check when slot ports must be free on this host, not only unused by this installation. */
  hostPorts?(runtime: R): HostPortCheck;
  /** Removes what the runtime keeps per project beyond its instances, when the project is deleted. */
  deleteProject?(runtime: R, project: string): Promise<void>;
  /**
   * Reconciled even while no project runs on it (it cleans up after projects that moved away or were
   * deleted); otherwise only while some project uses it, so installations without it never reach for it.
   */
  alwaysReconcile?: boolean;
}
