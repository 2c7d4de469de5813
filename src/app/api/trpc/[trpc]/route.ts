import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { AppError } from '@/server/errors';
import { retryAfterSeconds } from '@/server/security/rate-limit';

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
    responseMeta({ errors }) {
      const waits = errors.map((error) =>
        error.cause instanceof AppError ? retryAfterSeconds(error.cause) : null,
      );
      const wait = Math.max(0, ...waits.filter((seconds) => seconds !== null));
      return wait > 0 ? { headers: new Headers({ 'retry-after': String(wait) }) } : {};
    },
  });

export { handler as GET, handler as POST };
