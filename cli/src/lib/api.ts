import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
import type { AppRouter } from '../../../src/server/api/root';
import { CliError, EXIT } from './errors';

export type Api = ReturnType<typeof createApi>;

/** The typed tRPC client (types only from the server: `import type`). */
export function createApi(url: string, token: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/api/trpc`,
        transformer: superjson,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

export function requireToken(token: string | null): string {
  if (!token)
    throw new CliError('You are not logged in. Run `rise login` (or set RISE_TOKEN).', EXIT.unauthenticated);
  return token;
}
