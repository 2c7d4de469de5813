/**
 * 1536 → "1.5 KiB", 512 MiB → "512 MiB" (one decimal below 100, none from 100), whole bytes below
 * 1 KiB; `missing` (default "-") when not known. The CLI and the dashboard read sizes alike.
 */
export function formatBytes(bytes: number | null | undefined, missing = '-'): string {
  if (bytes === null || bytes === undefined) return missing;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(bytes)} B`;
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}
