import { env } from '@/env';
import { resolveCaller } from '@/server/auth/resolve-caller';
import {
  appHandshakeHost,
  appScheme,
  HANDSHAKE_COMPLETE_PATH,
  isHandshakeState,
  safeAppReturnPath,
} from '@/server/domains/proxy-access/app-session';
import { issueProxyAuthCode } from '@/server/domains/proxy-access/proxy-auth-code.service';
import { AppError } from '@/server/errors';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

function text(status: number, message: string) {
  return new Response(`${message}\n`, {
    status,
    headers: { ...noStore, 'content-type': 'text/plain; charset=utf-8' },
  });
}

/**
 * Step 1 of a private app's sign-in, on Rise's own host (where Rise's session cookie lives): a
 * signed-in member gets a one-time code sent to `<app host>/.rise/auth/complete`; anyone else signs
 * in first and comes back here.
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const host = appHandshakeHost(url.searchParams.get('host'), env);
  if (!host) {
    return text(400, 'Parameter host must be the host of an app Rise serves (e.g. shop.example.com).');
  }
  const returnPath = safeAppReturnPath(url.searchParams.get('return') ?? '/');
  if (!returnPath) {
    return text(400, "Parameter return must be a path on the app's own host, starting with a single '/'.");
  }
  const state = url.searchParams.get('state');
  if (!isHandshakeState(state)) {
    return text(400, 'Parameter state is missing or malformed. Open the app again to sign in.');
  }
  // Rise's browser session only: a bearer credential has no business in a browser redirect.
  const caller = await resolveCaller(new Headers({ cookie: request.headers.get('cookie') ?? '' }));
  if (!caller) {
    const callbackUrl = `${url.pathname}${url.search}`;
    const signin = new URL('/signin', env.RISE_URL);
    signin.searchParams.set('callbackUrl', callbackUrl);
    return new Response(null, { status: 302, headers: { ...noStore, location: signin.toString() } });
  }
  try {
    const code = await issueProxyAuthCode(caller, { host, returnPath });
    const target = new URL(`${appScheme(env)}://${host}${HANDSHAKE_COMPLETE_PATH}`);
    target.searchParams.set('code', code);
    target.searchParams.set('state', state);
    return new Response(null, { status: 302, headers: { ...noStore, location: target.toString() } });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return text(error.code === 'NOT_FOUND' ? 404 : 403, error.message);
  }
}
