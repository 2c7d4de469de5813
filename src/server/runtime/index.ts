import { type Env, env as processEnv } from '@/env';
import { runtimeModule } from './registry';
import type { Runtime } from './types';

/** The environment the runtimes read their settings from (each module picks its own). */
export type RuntimeSettings = Env;

const runtimes = new Map<string, Runtime>();

/**
 * The runtime a project runs on (`project.runtime`, e.g. 'docker'); one shared instance per runtime
 * and settings. Domains receive the result as an argument and never import an adapter.
 */
export function createRuntime(
  config: string | { runtime: string },
  env: RuntimeSettings = processEnv,
): Runtime {
  const name = typeof config === 'string' ? config : config.runtime;
  const module = runtimeModule(name);
  const settings = module.settings(env);
  const key = `${name}\0${JSON.stringify(settings)}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = module.createRuntime(settings);
    runtimes.set(key, runtime);
  }
  return runtime;
}
