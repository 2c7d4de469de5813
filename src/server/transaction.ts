import { getDb, isUniqueViolation, type Tx } from './db';

/**
 * The unit of work of a service: the repositories it calls with `tx` commit or roll back together.
 * Services open transactions here and never hold the Prisma client; only repositories query.
 */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return getDb().$transaction(work);
}

/** True when a write failed on a unique constraint (a name already taken, a race lost). */
export { isUniqueViolation };
