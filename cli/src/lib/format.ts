export { formatBytes } from '../../../src/shared/format/bytes';

/** 850 → "850 ms", 4200 → "4.2 s", 125000 → "2m 05s", 3720000 → "1h 02m"; null → "-". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
}

/** "2026-11-22 07:18 UTC", or "-". */
export function formatTime(date: Date | null | undefined): string {
  if (!date) return '-';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `key:` padded to a column, one pair a line, on stdout (`rise p s`, `rise db show`). */
export function printDetails(rows: [string, string][]): void {
  process.stdout.write(`${rows.map(([key, value]) => `${`${key}:`.padEnd(19)}${value}`).join('\n')}\n`);
}
