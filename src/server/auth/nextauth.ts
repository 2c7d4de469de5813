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
      authorization: { params: { scope: 'openid email profile' } },
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

// Auth.js takes its callback URL (the OIDC redirect_uri) from AUTH_URL when set, else from the
// request; pinning it to RISE_URL makes the sign-in request and the callback agree behind any proxy.
process.env.AUTH_URL ??= new URL('/api/auth', env.RISE_URL).toString();

export const { handlers, auth, signIn, signOut } = NextAuth({
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

export const oidcConfigured = () => providers().length > 0;
