import type { InstanceSpec } from './types';

/** The variable through which every app is told the port to listen on (the Heroku/Render convention). */
export const PORT_ENV_VAR = 'PORT';

/**
 * The environment an instance runs with: its env vars plus `PORT` = the port the runtime exposes,
 * probes and routes to. Rise's value wins over a `PORT` in `env` (and over one baked into the image):
 * an app listening anywhere else would be unreachable.
 */
export function instanceEnv(spec: Pick<InstanceSpec, 'env' | 'port'>): Record<string, string> {
  return { ...spec.env, [PORT_ENV_VAR]: String(spec.port) };
}
