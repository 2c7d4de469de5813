import { env } from '@/env';
import { resolveCaller } from '@/server/auth/resolve-caller';
import { forwardAuthAnswer, forwardAuthRequest } from '@/server/domains/proxy-access/forward-auth';
import { decideProxyAccess } from '@/server/domains/proxy-access/proxy-access.service';
import { AppError } from '@/server/errors';

export const dynamic = 'force-dynamic';

/**
 * The forward-auth endpoint of private projects, for Caddy (Docker runtime) and ingress-nginx
 * (Kubernetes runtime): 2xx lets the request through to the app.
 */
export async function GET(request: Request) {
  const forwarded = forwardAuthRequest(request.headers);
  const caller = await resolveCaller(request.headers).catch((error) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  const decision = await decideProxyAccess(forwarded.host, caller);
  const answer = forwardAuthAnswer(decision, forwarded, {
    riseUrl: env.RISE_URL,
    tlsMode: env.RISE_TLS_MODE,
  });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
