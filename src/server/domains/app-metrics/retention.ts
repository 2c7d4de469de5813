/** How long each resolution of metrics and uptime history is kept (issue 19). */
export const MINUTE_POINTS_KEPT_MS = 24 * 60 * 60 * 1000;
export const HOUR_POINTS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

export type Resolution = 'minute' | 'hour';

/** `at` cut down to its minute: a sample's key, so a job run twice in a minute writes one row. */
export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/**
 * Minute points before this moment are folded into hourly ones: the start of the hour 24 h ago, so
 * an hour is folded once, with all its minutes.
 */
export function foldBefore(now: Date): Date {
  const cutoff = now.getTime() - MINUTE_POINTS_KEPT_MS;
  return new Date(Math.floor(cutoff / 3_600_000) * 3_600_000);
}

/** Hourly points before this moment are deleted. */
export function deleteHoursBefore(now: Date): Date {
  return new Date(now.getTime() - HOUR_POINTS_KEPT_MS);
}

/** Minute points for a range up to 24 h back, hourly ones beyond. */
export function resolutionFor(from: Date, now: Date): Resolution {
  return now.getTime() - from.getTime() <= MINUTE_POINTS_KEPT_MS ? 'minute' : 'hour';
}
