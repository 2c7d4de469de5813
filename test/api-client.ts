import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '@/server/api/root';

/** The typed tRPC client over real HTTP, as the CLI uses it; `auth` is a bearer token or a cookie header. */
export function httpApi(baseUrl: string, auth: { token?: string; cookie?: string } = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/api/trpc`,
        transformer: superjson,
        headers: () => ({
          ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
          ...(auth.cookie ? { cookie: auth.cookie } : {}),
        }),
      }),
    ],
  });
}

/** Signs up a local account through the real sign-in endpoint and returns its session cookie. */
export async function signUpLocally(
  baseUrl: string,
  user: { email: string; password: string; name?: string },
) {
  const form = new URLSearchParams({ mode: 'signup', callbackUrl: '/', ...user });
  const response = await fetch(`${baseUrl}/api/local-auth`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const setCookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !setCookie) {
    throw new Error(`local sign-up failed: ${response.status} ${response.headers.get('location')}`);
  }
  return setCookie.split(';')[0]!;
}
