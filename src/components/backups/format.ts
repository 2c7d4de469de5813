import type { RestoreView } from '@/shared/backups/backup.schema';

export { formatDuration } from '@/components/deployment/format';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB": binary multiples, one decimal below 10 of a unit. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export const RESTORE_MODE_LABEL: Record<RestoreView['mode'], string> = {
  in_place: 'in place',
  new_database: 'new database',
  drill: 'drill',
};

/** Backups and restores still on their way: lists refetch while one of these is shown. */
export const isUnfinished = (status: string) => status === 'pending' || status === 'running';
