const UNREACHABLE_CODES = new Set([
  // Prisma: can't reach / timed out / closed connection / too many connections.
  'P1001',
  'P1002',
  'P1017',
  'P2024',
  // Node sockets (pg and pg-boss talk to PostgreSQL directly).
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  // PostgreSQL: shutting down, starting up, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** True when `error` (or anything in its cause chain) says Rise's database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    const candidate = current as { code?: unknown; name?: unknown; errors?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && UNREACHABLE_CODES.has(candidate.code)) return true;
    if (candidate.name === 'PrismaClientInitializationError') return true;
    // `AggregateError` from a connect to several addresses (IPv4 and IPv6 localhost).
    if (Array.isArray(candidate.errors) && candidate.errors.some(isDatabaseUnavailable)) return true;
    current = candidate.cause;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE =
  "Rise's database is unreachable right now; try again in a moment. If it persists, tell your Rise operator.";

export const UNEXPECTED_ERROR_MESSAGE =
  'Rise hit an unexpected error while handling this request; it has been logged for the operators.';
