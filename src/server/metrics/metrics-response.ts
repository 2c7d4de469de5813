import { type MetricsAccess, metricsAccess } from './metrics-access';
import { riseMetrics } from './registry';

export type MetricsResponse = { status: number; headers: Record<string, string>; body: string };

const DENIED: Record<Exclude<MetricsAccess, 'allowed'>, MetricsResponse> = {
  off: { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found\n' },
  unauthorized: {
    status: 401,
    headers: { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="rise-metrics"' },
    body: 'Send the metrics token (RISE_METRICS_TOKEN) as Authorization: Bearer <token>.\n',
  },
};

/** The answer to one scrape: the registry in Prometheus's text format, or why not. */
export async function metricsResponse(
  authorization: string | null | undefined,
  options: { token: string | undefined; dedicatedListener: boolean },
): Promise<MetricsResponse> {
  const access = metricsAccess(authorization, options);
  if (access !== 'allowed') return DENIED[access];
  const { registry } = riseMetrics();
  return {
    status: 200,
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
    body: await registry.metrics(),
  };
}
