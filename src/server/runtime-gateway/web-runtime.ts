import { env, requireEnv } from '@/env';
import { createRuntime } from '@/server/runtime';
import type { Runtime } from '@/server/runtime/types';
import { throughRuntimeGateway } from './gateway-runtime';
import { runtimeGatewayToken } from './gateway-token';

/**
 * The runtime as the web server reads app output and runs commands with it: through the worker's
 * runtime gateway when RISE_RUNTIME_GATEWAY_SOCKET is set (the compose stack's web container has no
 * Docker socket), else directly.
 */
export function webRuntime(name: string): Runtime {
  return asWebRuntime(createRuntime(name));
}

/** `runtime` with its app output, commands and one-offs through the gateway when there is one. */
export function asWebRuntime(runtime: Runtime): Runtime {
  const socketPath = env.RISE_RUNTIME_GATEWAY_SOCKET;
  if (!socketPath) return runtime;
  return throughRuntimeGateway(runtime, {
    socketPath,
    token: runtimeGatewayToken(requireEnv('AUTH_SECRET')),
  });
}
