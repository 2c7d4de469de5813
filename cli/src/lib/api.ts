import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { inferRouterInputs } from '@trpc/server';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { AppRouter } from '../../../src/server/api/root';
import { resolveTarget } from './config';
import { CliError, EXIT } from './errors';

export type Api = ReturnType<typeof createApi>;
/** What each procedure takes, e.g. `ApiInputs['database']['create']`. */
export type ApiInputs = inferRouterInputs<AppRouter>;

/** The typed tRPC client (types only from the server: `import type`). */
export function createApi(url: string, token: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        // Streams (logs) arrive as server-sent events; Node has no EventSource of its own.
        true: httpSubscriptionLink({
          url: `${url}/api/trpc`,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetch(input, {
                ...init,
                headers: { ...init?.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
              }),
          }),
        }),
        false: httpLink({
          url: `${url}/api/trpc`,
          transformer: superjson,
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        }),
      }),
    ],
  });
}

export function requireToken(token: string | null): string {
  if (!token)
    throw new CliError('You are not logged in. Run `rise login` (or set RISE_TOKEN).', EXIT.unauthenticated);
  return token;
}

/** The API as the logged-in user (flags, then RISE_URL / RISE_TOKEN, then the stored login). */
export function authenticatedApi(options: { url?: string }) {
  const { url, token } = resolveTarget(options);
  return createApi(url, requireToken(token));
}
