import type { TableCount } from '@/server/databases/types';
import type { DrillReport } from '@/shared/backups/backup.schema';

/** Compares the counts taken with the backup against the counts of the restored copy. */
export function compareCounts(expected: readonly TableCount[], restored: readonly TableCount[]): DrillReport {
  const tables = [...new Set([...expected, ...restored].map((count) => count.table))].sort();
  const rows = tables.map((table) => ({
    table,
    expected: expected.find((count) => count.table === table)?.rows ?? null,
    restored: restored.find((count) => count.table === table)?.rows ?? null,
  }));
  return { passed: rows.every((row) => row.expected === row.restored), tables: rows };
}
