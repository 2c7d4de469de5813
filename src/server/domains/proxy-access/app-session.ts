import { hkdfSync, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { type Env, requireEnv } from '@/env';

/**
 * The sign-in of a private app's host: a short-lived, host-only cookie the handshake sets on that
 * host (never Rise's session, which stays on Rise's own host). Its JWT names the user (`sub`) and the
 * project (`aud`), so a cookie minted for one project is worthless on another project's host.
 */

/** Where the app host redeems a code; Caddy routes it to Rise on every private project's host. */
export const HANDSHAKE_COMPLETE_PATH = '/.rise/auth/complete';
export const AUTHORIZE_PATH = '/api/proxy/authorize';

const ISSUER = 'rise-app-session';

type SiteSettings = Pick<
  Env,
  'RISE_TLS_MODE' | 'RISE_APPS_PORT' | 'RISE_PROXY_HTTP_PORT' | 'RISE_PROXY_HTTPS_PORT'
>;

/** Apps are served over https unless TLS is off (the local `*.localhost` layout). */
export function appScheme(config: Pick<Env, 'RISE_TLS_MODE'>): 'http' | 'https' {
  return config.RISE_TLS_MODE === 'off' ? 'http' : 'https';
}

/**
 * The cookie's name. Under https it has the `__Host-` prefix: browsers then accept it only without a
 * Domain attribute, with Secure and Path=/, so an app on a sibling host cannot plant one for this host.
 */
export function appSessionCookieName(config: Pick<Env, 'RISE_TLS_MODE'>): string {
  return appScheme(config) === 'https' ? '__Host-rise_app_session' : 'rise_app_session';
}

/**
 * The handshake's state cookie, set on the app host with the redirect to Rise and checked when the
 * code comes back: a code only signs in the browser that started the handshake (no login CSRF with
 * an attacker's own code).
 */
export function appStateCookieName(config: Pick<Env, 'RISE_TLS_MODE'>): string {
  return appScheme(config) === 'https' ? '__Host-rise_app_state' : 'rise_app_state';
}

export const APP_STATE_TTL_SECONDS = 600;

/** A `Set-Cookie` value for the app host: host-only (no Domain), HttpOnly, SameSite=Lax, Secure under https. */
export function appHostSetCookie(
  name: string,
  value: string,
  maxAgeSeconds: number,
  config: Pick<Env, 'RISE_TLS_MODE'>,
): string {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax'];
  if (appScheme(config) === 'https') parts.push('Secure');
  return parts.join('; ');
}

function signingKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, Buffer.alloc(0), 'rise app session v1', 32));
}

/** A signed app-session token for `userId` on `projectId`, valid for `ttlSeconds`. */
export async function mintAppSession(
  claims: { userId: string; projectId: string },
  ttlSeconds: number,
  secret = requireEnv('AUTH_SECRET'),
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(claims.userId)
    .setAudience(claims.projectId)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(signingKey(secret));
}

/** The user of a valid app-session token for `projectId`; null when forged, expired or for another project. */
export async function verifyAppSession(
  token: string,
  projectId: string,
  secret = requireEnv('AUTH_SECRET'),
): Promise<{ userId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, signingKey(secret), {
      issuer: ISSUER,
      audience: projectId,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    });
    return payload.sub ? { userId: payload.sub } : null;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}

const RETURN_PATH_MAX = 2048;

/**
 * A path on the app's own host to return to after the handshake, or null. Only `/…` without a second
 * slash or backslash after the first (browsers read `//evil.com` and `/\evil.com` as another host),
 * without control characters, and resolving to the same origin.
 */
export function safeAppReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > RETURN_PATH_MAX) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\s]/.test(value)) return null;
  const base = 'http://app.invalid';
  if (!URL.canParse(value, base) || new URL(value, base).origin !== base) return null;
  return value;
}

const hostPattern =
  /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

/**
 * The app host (`name[:port]`) the handshake may send a code to, lower-cased, or null. The port must
 * be one the proxy serves apps on (none, RISE_APPS_PORT or Caddy's listener for the scheme): a code
 * must never travel to another server on the same machine.
 */
export function appHandshakeHost(value: unknown, config: SiteSettings): string | null {
  if (typeof value !== 'string' || value.length > 260) return null;
  const host = value.toLowerCase();
  if (!hostPattern.test(host)) return null;
  const port = host.match(/:(\d+)$/)?.[1];
  if (port === undefined) return host;
  const listener = appScheme(config) === 'https' ? config.RISE_PROXY_HTTPS_PORT : config.RISE_PROXY_HTTP_PORT;
  const defaultPort = appScheme(config) === 'https' ? 443 : 80;
  const allowed = [defaultPort, listener, config.RISE_APPS_PORT].filter((item) => item !== undefined);
  return allowed.includes(Number(port)) ? host : null;
}

/** A fresh handshake state: 32 random bytes, base64url. */
export function newHandshakeState(): string {
  return randomBytes(32).toString('base64url');
}

/** True for a handshake state as `newHandshakeState` makes them. */
export function isHandshakeState(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
