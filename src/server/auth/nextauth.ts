import { NextRequest } from 'next/server';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import { env } from '@/env';
import { withConfiguredAdmins } from '@/server/domains/access/platform-admins';
import { SESSION_MAX_AGE_SECONDS } from '@/server/domains/users/session.service';
import { riseAdapter } from './nextauth-adapter';
import { safeReturnUrl } from './return-url';
import { sessionCookie } from './session-cookie';

declare module 'next-auth' {
  interface User {
    username?: string;
    isPlatformAdmin?: boolean;
  }
  interface Session {
    user: {
      id: string;
      email: string;
      name?: string | null;
      image?: string | null;
      username: string;
      isPlatformAdmin: boolean;
    };
  }
}

export const OIDC_PROVIDER_ID = 'oidc';

type OidcProfile = {
  sub: string;
  email?: string;
  name?: string;
  picture?: string;
  preferred_username?: string;
};

// Auth.js builds its callback URL (the OIDC redirect_uri) from the request, or from AUTH_URL read out
// of process.env. Rise pins it to RISE_URL explicitly instead, so that the sign-in request and the
// callback agree behind any proxy: the authorization request names the redirect_uri, and every
// request to the route handlers is seen at RISE_URL's origin.
const AUTH_BASE_PATH = '/api/auth';
const riseOrigin = () => new URL(env.RISE_URL).origin;
const callbackUrl = (providerId: string) =>
  new URL(`${AUTH_BASE_PATH}/callback/${providerId}`, env.RISE_URL).toString();

function providers(): NextAuthConfig['providers'] {
  if (!env.RISE_OIDC_ISSUER || !env.RISE_OIDC_CLIENT_ID || !env.RISE_OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: env.RISE_OIDC_NAME,
      type: 'oidc',
      issuer: env.RISE_OIDC_ISSUER,
      clientId: env.RISE_OIDC_CLIENT_ID,
      clientSecret: env.RISE_OIDC_CLIENT_SECRET,
      authorization: {
        params: { scope: 'openid email profile', redirect_uri: callbackUrl(OIDC_PROVIDER_ID) },
      },
      profile(profile: OidcProfile) {
        if (!profile.email) throw new Error('The identity provider did not return an email address.');
        return {
          id: profile.sub,
          email: profile.email,
          name: profile.name ?? null,
          image: profile.picture ?? null,
          username: profile.preferred_username,
        };
      },
    },
  ];
}

const cookie = sessionCookie();

const nextAuth = NextAuth({
  basePath: AUTH_BASE_PATH,
  adapter: riseAdapter(),
  providers: providers(),
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: 'database', maxAge: SESSION_MAX_AGE_SECONDS },
  cookies: {
    sessionToken: {
      name: cookie.name,
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: cookie.secure },
    },
  },
  pages: { signIn: '/signin', error: '/signin' },
  callbacks: {
    redirect: ({ url, baseUrl }) => {
      const safe = safeReturnUrl(url);
      return safe.startsWith('/') ? `${baseUrl}${safe}` : safe;
    },
    session({ session, user }) {
      const adapterUser = user as typeof user & { username: string; isPlatformAdmin: boolean };
      session.user = {
        ...session.user,
        id: user.id,
        username: adapterUser.username,
        isPlatformAdmin: withConfiguredAdmins(adapterUser).isPlatformAdmin,
      };
      return session;
    },
  },
});

export const { auth, signIn, signOut } = nextAuth;

/** The request as Auth.js should see it: at RISE_URL's origin, whatever host the proxy passed on. */
function atRiseOrigin(request: NextRequest): NextRequest {
  const { href, origin } = request.nextUrl;
  const rise = riseOrigin();
  return origin === rise ? request : new NextRequest(href.replace(origin, rise), request);
}

export const handlers = {
  GET: (request: NextRequest) => nextAuth.handlers.GET(atRiseOrigin(request)),
  POST: (request: NextRequest) => nextAuth.handlers.POST(atRiseOrigin(request)),
};

export const oidcConfigured = () => providers().length > 0;
