import { env } from '@/env';
import { resolveCaller } from '@/server/auth/resolve-caller';
import { decideProxyAccess } from '@/server/domains/proxy-access/proxy-access.service';
import { AppError } from '@/server/errors';

export const dynamic = 'force-dynamic';

/** Caddy's forward-auth endpoint for private projects: 2xx lets the request through to the app. */
export async function GET(request: Request) {
  const host = request.headers.get('x-forwarded-host') ?? '';
  const uri = request.headers.get('x-forwarded-uri') ?? '/';
  const caller = await resolveCaller(request.headers).catch((error) => {
    if (error instanceof AppError) return null;
    throw error;
  });
  const decision = await decideProxyAccess(host, caller);
  switch (decision.outcome) {
    case 'allow':
      return new Response(null, {
        status: 200,
        headers: decision.user ? { 'x-rise-user': decision.user } : {},
      });
    case 'sign-in': {
      const wantsPage = (request.headers.get('accept') ?? '').includes('text/html');
      if (!wantsPage) return new Response('Sign in to Rise to use this app.\n', { status: 401 });
      const scheme = env.RISE_TLS_MODE === 'off' ? 'http' : 'https';
      const target = new URL('/signin', env.RISE_URL);
      target.searchParams.set('callbackUrl', `${scheme}://${host}${uri}`);
      return new Response(null, { status: 302, headers: { location: target.toString() } });
    }
    case 'forbidden':
      return new Response('You are signed in but not a member of the team that owns this app.\n', {
        status: 403,
      });
    case 'unknown-host':
      return new Response('No Rise project is served at this host.\n', { status: 404 });
  }
}
