import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import { resolveCaller } from '@/server/auth/resolve-caller';
import { authorizeProject, authorizeTeam } from '@/server/domains/access/access.service';
import type { Caller, UserCaller } from '@/server/domains/access/caller';
import type { Permission, ProjectAction, TeamAction } from '@/server/domains/access/permissions';
import { projectName } from '@/server/domains/projects/project.schema';
import { teamName } from '@/server/domains/teams/team.schema';
import { AppError, type AppErrorCode } from '@/server/errors';
import { recordApiRequest } from '@/server/metrics/record-metrics';
import { clientAddress } from '@/server/security/client-address';
import { storableTextInput } from './input-text';
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
  UNEXPECTED_ERROR_MESSAGE,
} from './service-errors';

export type Context = {
  caller: Caller | null;
  /** Why a presented credential was rejected; raised only by procedures that need a caller. */
  authError: AppError | null;
  /** The requester's address, for per-address rate limits (see client-address.ts). */
  clientAddress: string;
};

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const address = clientAddress(opts.headers);
  try {
    return { caller: await resolveCaller(opts.headers), authError: null, clientAddress: address };
  } catch (error) {
    if (error instanceof AppError) return { caller: null, authError: error, clientAddress: address };
    throw asServiceError(error);
  }
}

const databaseUnavailable = (cause: unknown) =>
  new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: DATABASE_UNAVAILABLE_MESSAGE, cause });

/** An unexpected error as clients may see it: 503 when the database is down, else unchanged (500). */
function asServiceError(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? databaseUnavailable(error) : error;
}

export type Meta = { permission: Permission };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const details = error.cause instanceof AppError ? error.cause.details : undefined;
      // An unexpected error's text (Prisma's, a driver's, a stack) never reaches clients; it is logged.
      const message = error.code === 'INTERNAL_SERVER_ERROR' ? UNEXPECTED_ERROR_MESSAGE : shape.message;
      return { ...shape, message, data: { ...shape.data, details, stack: undefined } };
    },
  });

const TRPC_CODES: Record<AppErrorCode, TRPCError['code']> = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

export const toTRPCError = (error: AppError) =>
  new TRPCError({ code: TRPC_CODES[error.code], message: error.message, cause: error });

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

async function* withTRPCErrors(stream: AsyncIterable<unknown>) {
  try {
    yield* stream;
  } catch (error) {
    throw error instanceof AppError ? toTRPCError(error) : asServiceError(error);
  }
}

/**
 * Domain code throws AppError; this is the one place it becomes a TRPCError, including errors a
 * subscription's stream throws after it started (otherwise clients see INTERNAL_SERVER_ERROR and retry).
 */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) throw databaseUnavailable(result.error.cause);
  if (result.ok && isAsyncIterable(result.data)) return { ...result, data: withTRPCErrors(result.data) };
  return result;
});

/** Text PostgreSQL cannot store (NUL, lone surrogates) is bad input in any field of any procedure. */
const storableText = t.middleware(async ({ getRawInput, next }) => {
  const checked = storableTextInput.safeParse(await getRawInput());
  if (!checked.success)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: checked.error.issues[0]!.message,
      cause: checked.error,
    });
  return next();
});

/** Outermost: times every call and sees its final code (after appErrors mapped an AppError). */
const requestMetrics = t.middleware(async ({ path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const code = result.ok ? 'OK' : result.error.code;
  recordApiRequest({ procedure: path, type, code, ms: performance.now() - started });
  return result;
});

const base = t.procedure.use(requestMetrics).use(appErrors).use(storableText);

function requireCaller(ctx: Context): Caller {
  if (ctx.caller) return ctx.caller;
  throw (
    ctx.authError ??
    new AppError('UNAUTHORIZED', 'Sign in first: run `rise login` or sign in to the dashboard.')
  );
}

function requireUser(ctx: Context): UserCaller {
  const caller = requireCaller(ctx);
  if (caller.kind !== 'user')
    throw new AppError('FORBIDDEN', 'Service accounts cannot do this; use a user token.');
  return caller;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// Every procedure is built from exactly one of these; each records its permission in `meta`.

export const publicProcedure = base.meta({ permission: 'public' });

export const authenticatedProcedure = base
  .meta({ permission: 'authenticated' })
  .use(({ ctx, next }) => next({ ctx: { caller: requireCaller(ctx) } }));

export const userProcedure = base
  .meta({ permission: 'user' })
  .use(({ ctx, next }) => next({ ctx: { caller: requireUser(ctx) } }));

export const platformAdminProcedure = base.meta({ permission: 'platform-admin' }).use(({ ctx, next }) => {
  const caller = requireUser(ctx);
  if (!caller.user.isPlatformAdmin) throw new AppError('FORBIDDEN', 'Only platform admins can do this.');
  return next({ ctx: { caller } });
});

/** A procedure on the project named by `input.project`; unseen projects answer NOT_FOUND. */
export const projectProcedure = (action: ProjectAction) =>
  base
    .meta({ permission: action })
    .input(z.object({ project: projectName }))
    .use(async ({ ctx, input, next }) => {
      const caller = requireCaller(ctx);
      const { project, role } = await authorizeProject(caller, input.project, action);
      return next({ ctx: { caller, project, role } });
    });

/** A procedure on the team named by `input.team`; unseen teams answer NOT_FOUND. */
export const teamProcedure = (action: TeamAction) =>
  base
    .meta({ permission: action })
    .input(z.object({ team: teamName }))
    .use(async ({ ctx, input, next }) => {
      const caller = requireUser(ctx);
      const { team, role } = await authorizeTeam(caller, input.team, action);
      return next({ ctx: { caller, team, role } });
    });
