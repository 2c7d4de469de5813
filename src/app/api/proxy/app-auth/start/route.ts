import { env } from '@/env';
import { handshakeStart, signinReturnPath } from '@/server/auth/forward-auth';
import { appHandshakeHost, newHandshakeState } from '@/server/domains/proxy-access/app-session';

export const dynamic = 'force-dynamic';

/**
 * Step 0 of a private app's sign-in on Kubernetes, on the app's host (the project's handshake Ingress
 * routes `/.rise/auth/start` here): ingress-nginx's auth-signin sends a browser Rise refused here with
 * `rd=<the URL it asked for>`; it gets the host-only state cookie and goes on to Rise's authorize
 * endpoint, exactly as Caddy's forward-auth answer sends it there.
 */
export async function GET(request: Request) {
  const host = appHandshakeHost(request.headers.get('x-forwarded-host') ?? request.headers.get('host'), env);
  if (!host) {
    return new Response('This sign-in must start on the host of an app Rise serves.\n', {
      status: 400,
      headers: { 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  const rd = new URL(request.url).searchParams.get('rd');
  const answer = handshakeStart(
    { host, uri: signinReturnPath(rd, host) },
    { riseUrl: env.RISE_URL, tlsMode: env.RISE_TLS_MODE, handshakeState: newHandshakeState() },
  );
  return new Response(answer.body, {
    status: answer.status,
    headers: { ...answer.headers, 'referrer-policy': 'no-referrer' },
  });
}
