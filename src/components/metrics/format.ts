import { formatBytes as bytes } from '@/shared/format/bytes';

/** How figures read in the dashboard: sizes as the CLI reads them, "–" where not known yet. */
export const formatBytes = (value: number | null | undefined): string => bytes(value, '–');

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(digits)}%`;
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${Math.round(value)} ms`;
}
