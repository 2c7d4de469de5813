import { timingSafeEqual } from 'node:crypto';
import { env } from '@/env';
import { readCookie } from '@/server/auth/session-cookie';
import {
  appHostSetCookie,
  appSessionCookieName,
  appStateCookieName,
  isHandshakeState,
  mintAppSession,
} from '@/server/domains/proxy-access/app-session';
import { redeemProxyAuthCode } from '@/server/domains/proxy-access/proxy-auth-code.service';
import { AppError } from '@/server/errors';

export const dynamic = 'force-dynamic';

const noStore = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

function refuse(message: string) {
  return new Response(`${message}\n`, {
    status: 401,
    headers: { ...noStore, 'content-type': 'text/plain; charset=utf-8' },
  });
}

function sameState(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Step 2 of a private app's sign-in, on the app's host (Caddy routes `/.rise/auth/*` of private
 * projects here): redeems the one-time code, sets the host-only app-session cookie and returns to the
 * path the code was issued for (a path on this host, so never an open redirect).
 */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? '';
  const cookies = request.headers.get('cookie');
  const state = url.searchParams.get('state');
  const expected = readCookie(cookies, appStateCookieName(env));
  if (!isHandshakeState(state) || !expected || !sameState(state, expected)) {
    return refuse('This sign-in did not start in this browser. Open the app again to sign in.');
  }
  try {
    const redeemed = await redeemProxyAuthCode(url.searchParams.get('code') ?? '', host);
    const ttl = env.RISE_APP_SESSION_TTL_SECONDS;
    const token = await mintAppSession({ userId: redeemed.userId, projectId: redeemed.projectId }, ttl);
    const headers = new Headers({ ...noStore, location: redeemed.returnPath });
    headers.append('set-cookie', appHostSetCookie(appSessionCookieName(env), token, ttl, env));
    headers.append('set-cookie', appHostSetCookie(appStateCookieName(env), '', 0, env));
    return new Response(null, { status: 302, headers });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return refuse(error.message);
  }
}
