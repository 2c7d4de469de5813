import { PrismaPg } from '@prisma/adapter-pg';
import { requireEnv } from '@/env';
import { Prisma, PrismaClient } from '@/generated/prisma/client';

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
export { Prisma };

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

const globalForDb = globalThis as unknown as { riseDb?: PrismaClient };

/** The process-wide client; created on first use so importing this module needs no database. */
export function getDb(): PrismaClient {
  globalForDb.riseDb ??= createPrismaClient(requireEnv('DATABASE_URL'));
  return globalForDb.riseDb;
}

/** True when `error` is a unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
