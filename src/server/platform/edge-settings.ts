import { z } from 'zod';

/**
 * Settings of the apps edge when it runs as its own process (compose's `edge` service): where it
 * listens inside its container and where Caddy is. `npm start` runs the same edge in its supervisor,
 * configured from Rise's own settings instead.
 */
const port = z.coerce.number().int().min(1).max(65535);

/** `host:port`, e.g. caddy-http:80. */
const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: 'expected host:port, e.g. caddy-http:80' })
  .transform((value) => {
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at), port: Number(value.slice(at + 1)) };
  })
  .pipe(z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }));

const edgeEnvSchema = z.object({
  RISE_EDGE_HTTP_PORT: port.default(8080),
  RISE_EDGE_HTTPS_PORT: port.default(8443),
  /** Caddy's plain-HTTP listener, on the network whose addresses Caddy trusts (RISE_PROXY_TRUSTED_PROXIES). */
  RISE_EDGE_UPSTREAM: hostPort,
  /** Caddy's HTTPS listener, reached over a network Caddy does not trust; empty = no HTTPS port. */
  RISE_EDGE_TLS_UPSTREAM: z.preprocess((value) => (value === '' ? undefined : value), hostPort.optional()),
  /** How long a request waits for Caddy to come back before it gets a 502. */
  RISE_EDGE_WAIT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
});

export type EdgeSettings = {
  port: number;
  upstream: { host: string; port: number };
  tls?: { port: number; upstreamHost: string; upstreamPort: number };
  waitForUpstreamMs: number;
};

export function parseEdgeSettings(environment: Record<string, string | undefined>): EdgeSettings {
  const parsed = edgeEnvSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid edge settings:\n  ${problems.join('\n  ')}`);
  }
  const settings = parsed.data;
  const tls = settings.RISE_EDGE_TLS_UPSTREAM;
  return {
    port: settings.RISE_EDGE_HTTP_PORT,
    upstream: settings.RISE_EDGE_UPSTREAM,
    tls: tls
      ? { port: settings.RISE_EDGE_HTTPS_PORT, upstreamHost: tls.host, upstreamPort: tls.port }
      : undefined,
    waitForUpstreamMs: settings.RISE_EDGE_WAIT_SECONDS * 1000,
  };
}
