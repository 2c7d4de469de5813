import { createHash } from 'node:crypto';
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { env, requireEnv } from '@/env';
import { AppError } from '@/server/errors';

/**
 * Rate limits shared by every web replica: counters live in PostgreSQL (table `rate_limits`, created
 * by a migration) through rate-limiter-flexible. Keys are hashed, so no email address or device code
 * is stored.
 *
 * Two kinds of limit:
 * - request limits (`limitRequest`) count every request of a key in a window;
 * - failure limits count only failures (`recordFailure`) and refuse (`assertNotLocked`) once `points`
 *   failures accumulated, for `lockSeconds`; `beginAttempt` additionally reserves a point before the
 *   attempt, so parallel attempts cannot get past the limit while earlier ones are still checked.
 */
type LimitSpec = {
  /** Requests (or failures) allowed per window. */
  points: number;
  /** Window length, seconds. */
  windowSeconds: number;
  /** Failure limits: how long a key stays locked once its failures reached `points`. */
  lockSeconds?: number;
  /** What was limited, for the error message: "Too many <what>". */
  what: string;
};

const MINUTE = 60;

function limitSpecs() {
  return {
    // Consecutive wrong passwords of one account (a success resets the count); the count is kept a day.
    'signin-account': {
      points: env.RISE_SIGNIN_MAX_FAILURES,
      windowSeconds: 24 * 60 * MINUTE,
      lockSeconds: env.RISE_SIGNIN_LOCKOUT_SECONDS,
      what: 'sign-in attempts',
    },
    // Wrong passwords from one address, whatever the account: password spraying.
    'signin-address': {
      points: 5 * env.RISE_SIGNIN_MAX_FAILURES,
      windowSeconds: 15 * MINUTE,
      lockSeconds: env.RISE_SIGNIN_LOCKOUT_SECONDS,
      what: 'sign-in attempts',
    },
    // Account creation (each hashes a password) from one address.
    'signup-address': { points: 20, windowSeconds: 60 * MINUTE, what: 'sign-ups' },
    'device-start': { points: 10, windowSeconds: MINUTE, what: 'login requests' },
    // A CLI honouring `interval` and `slow_down` polls at most 12 times a minute.
    'device-poll-code': { points: 20, windowSeconds: MINUTE, what: 'polls of this login request' },
    'device-poll-address': { points: 120, windowSeconds: MINUTE, what: 'login polls' },
    'registry-token-address': {
      points: 30,
      windowSeconds: 15 * MINUTE,
      lockSeconds: 15 * MINUTE,
      what: 'failed registry logins',
    },
    // Failed logins of one account from one address (a lock per account alone would let anyone lock
    // a user, or the worker, out of the registry).
    'registry-token-account': {
      points: 10,
      windowSeconds: 15 * MINUTE,
      lockSeconds: 15 * MINUTE,
      what: 'failed registry logins',
    },
    // Git forge webhooks, per project.
    'git-hook': { points: 60, windowSeconds: MINUTE, what: 'webhook deliveries' },
  } satisfies Record<string, LimitSpec>;
}

export type LimitName = keyof ReturnType<typeof limitSpecs>;

const globalStore = globalThis as unknown as {
  riseRateLimitPool?: pg.Pool;
  riseRateLimiters?: Map<LimitName, { limiter: RateLimiterPostgres; spec: LimitSpec }>;
};

/** One small pool for every limiter, opened on first use (importing this module needs no database). */
function pool(): pg.Pool {
  globalStore.riseRateLimitPool ??= new pg.Pool({
    connectionString: requireEnv('DATABASE_URL'),
    max: 4,
    idleTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  return globalStore.riseRateLimitPool;
}

function limiter(name: LimitName) {
  globalStore.riseRateLimiters ??= new Map();
  let entry = globalStore.riseRateLimiters.get(name);
  if (!entry) {
    const spec: LimitSpec = limitSpecs()[name];
    entry = {
      spec,
      limiter: new RateLimiterPostgres({
        storeClient: pool(),
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        keyPrefix: name,
        points: spec.points,
        duration: spec.windowSeconds,
        // Its sweep of expired rows covers the whole table: one limiter per process runs it.
        clearExpiredByTimeout: globalStore.riseRateLimiters.size === 0,
      }),
    };
    globalStore.riseRateLimiters.set(name, entry);
  }
  return entry;
}

const storedKey = (key: string) => createHash('sha256').update(key).digest('base64url');

/** "3 seconds", "15 minutes": when to try again, rounded up. */
export function retryAfterText(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

export function tooManyRequests(spec: Pick<LimitSpec, 'what'>, msBeforeNext: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(
    'TOO_MANY_REQUESTS',
    `Too many ${spec.what}; try again in ${retryAfterText(retryAfterSeconds)}.`,
    { retryAfterSeconds },
  );
}

/** The seconds a TOO_MANY_REQUESTS AppError asks the client to wait (for a Retry-After header). */
export function retryAfterSeconds(error: AppError): number | null {
  const value = error.details.retryAfterSeconds;
  return error.code === 'TOO_MANY_REQUESTS' && typeof value === 'number' ? value : null;
}

async function consume(name: LimitName, key: string) {
  const { limiter: store, spec } = limiter(name);
  try {
    return await store.consume(storedKey(key));
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw tooManyRequests(spec, rejection.msBeforeNext);
    throw rejection;
  }
}

/** Counts one request of `key`; throws TOO_MANY_REQUESTS past the limit. */
export async function limitRequest(name: LimitName, key: string): Promise<void> {
  await consume(name, key);
}

/** Throws TOO_MANY_REQUESTS while `key` is locked by its failures, without counting anything. */
export async function assertNotLocked(name: LimitName, key: string): Promise<void> {
  const { limiter: store, spec } = limiter(name);
  const state = await store.get(storedKey(key));
  if (state && state.consumedPoints >= spec.points) throw tooManyRequests(spec, state.msBeforeNext);
}

async function lockIfExhausted(name: LimitName, key: string, state: RateLimiterRes) {
  const { limiter: store, spec } = limiter(name);
  if (state.consumedPoints >= spec.points && spec.lockSeconds)
    await store.block(storedKey(key), spec.lockSeconds);
}

/** Counts one failure of `key`; the failure that reaches the limit starts the lock. */
export async function recordFailure(name: LimitName, key: string): Promise<void> {
  const { limiter: store } = limiter(name);
  try {
    await lockIfExhausted(name, key, await store.consume(storedKey(key)));
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    // Already locked: the lock keeps its end.
  }
}

export type Attempt = { failed: () => Promise<void>; succeeded: () => Promise<void> };

/**
 * Reserves one attempt of `key` (throws TOO_MANY_REQUESTS while locked, even if this attempt would
 * succeed). `failed()` keeps the point and starts the lock when it was the last one allowed;
 * `succeeded()` clears the count.
 */
export async function beginAttempt(name: LimitName, key: string): Promise<Attempt> {
  const state = await consume(name, key);
  return {
    failed: () => lockIfExhausted(name, key, state),
    succeeded: async () => {
      await limiter(name).limiter.delete(storedKey(key));
    },
  };
}
