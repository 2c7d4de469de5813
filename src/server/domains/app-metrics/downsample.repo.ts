import { getDb, Prisma, type Tx } from '@/server/db';

/** The tables of per-minute history kept with downsampling (issue 19). */
export type DownsampledTable = 'app_metric_samples' | 'uptime_checks';

/**
 * One downsampling pass over `table`, in one transaction: `foldHours` writes the hourly rows of the
 * minute rows before `foldBefore` (the table's own aggregates, merged into an hour folded before),
 * then those minute rows go, and hourly rows before `deleteBefore` too.
 */
export function downsampleTable(
  table: DownsampledTable,
  foldHours: (tx: Tx) => Promise<number>,
  foldBefore: Date,
  deleteBefore: Date,
) {
  const name = Prisma.raw(table);
  return getDb().$transaction(async (tx) => {
    const hoursWritten = await foldHours(tx);
    const foldedMinutes = await tx.$executeRaw`
      DELETE FROM ${name} WHERE resolution = 'minute' AND at < ${foldBefore}`;
    const deletedHours = await tx.$executeRaw`
      DELETE FROM ${name} WHERE resolution = 'hour' AND at < ${deleteBefore}`;
    return { hoursWritten, foldedMinutes, deletedHours };
  });
}
