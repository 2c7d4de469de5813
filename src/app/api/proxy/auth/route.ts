import { env } from '@/env';
import { forwardAuthAnswer, forwardAuthRequest } from '@/server/auth/forward-auth';
import { proxyBearerCaller } from '@/server/auth/proxy-bearer';
import { readCookie } from '@/server/auth/session-cookie';
import { appSessionCookieName, newHandshakeState } from '@/server/domains/proxy-access/app-session';
import { decideProxyAccess } from '@/server/domains/proxy-access/proxy-access.service';
import { AppError } from '@/server/errors';

export const dynamic = 'force-dynamic';

/**
 * The forward-auth endpoint of private projects, for Caddy (Docker runtime) and ingress-nginx
 * (Kubernetes runtime): 2xx lets the request through to the app. Rise's own session cookie is never
 * accepted here: it lives on Rise's host only; app hosts get their own cookie through the handshake.
 */
export async function GET(request: Request) {
  const forwarded = forwardAuthRequest(request.headers, new URL(request.url));
  let bearer: Awaited<ReturnType<typeof proxyBearerCaller>>;
  try {
    bearer = await proxyBearerCaller(request.headers);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return new Response(`${error.message}\n`, { status: 401 });
  }
  const appSession = readCookie(request.headers.get('cookie'), appSessionCookieName(env));
  // ingress-nginx's auth-url names the project of the Ingress that asked; without it, nothing passes.
  const expectedProject = forwarded.proxy === 'nginx' ? (forwarded.project ?? '') : null;
  const decision = await decideProxyAccess(forwarded.host, { bearer, appSession }, expectedProject);
  const answer = forwardAuthAnswer(decision, forwarded, {
    riseUrl: env.RISE_URL,
    tlsMode: env.RISE_TLS_MODE,
    handshakeState: newHandshakeState(),
  });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
