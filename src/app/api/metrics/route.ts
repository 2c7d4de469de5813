import { env } from '@/env';
import { registerJobStates } from '@/server/metrics/job-states';
import { metricsResponse } from '@/server/metrics/metrics-response';

export const dynamic = 'force-dynamic';

/** Prometheus scrape of the web server: only with RISE_METRICS_TOKEN set, and only bearing it. */
export async function GET(request: Request) {
  registerJobStates();
  const { status, headers, body } = await metricsResponse(request.headers.get('authorization'), {
    token: env.RISE_METRICS_TOKEN,
    dedicatedListener: false,
  });
  return new Response(body, { status, headers });
}
