import { timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'allowed' | 'unauthorized' | 'off';

/**
 * Who may read /metrics. With a token: only requests presenting it as `Authorization: Bearer`. Without
 * one: a listener on its own bind address (RISE_METRICS_ADDRESS, reachable only from where the operator
 * exposes it) serves everyone; the web server's route is off (404), as it shares the public port.
 */
export function metricsAccess(
  authorization: string | null | undefined,
  options: { token: string | undefined; dedicatedListener: boolean },
): MetricsAccess {
  if (!options.token) return options.dedicatedListener ? 'allowed' : 'off';
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]?.trim() ?? '';
  const expected = Buffer.from(options.token);
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'allowed' : 'unauthorized';
}
