const HOUR_MS = 3_600_000;

export type SeriesSample = {
  at: Date;
  cpuPercent: number;
  cpuPercentMax: number;
  memoryBytes: number;
  memoryBytesMax: number;
  memoryLimitBytes: number | null;
  networkRxBytes: number;
  networkTxBytes: number;
  restarts: number;
};

export type SeriesCheck = {
  at: Date;
  checks: number;
  upChecks: number;
  responseMs: number | null;
  statusCode: number | null;
};

function byHour<T extends { at: Date }>(rows: T[]): Map<number, T[]> {
  const hours = new Map<number, T[]>();
  for (const row of rows) {
    const hour = Math.floor(row.at.getTime() / HOUR_MS) * HOUR_MS;
    hours.set(hour, [...(hours.get(hour) ?? []), row]);
  }
  return hours;
}

const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Hourly points of a long range: the stored hourly ones, then the last day's minute points (not folded
 * yet) folded here as the downsampling will fold them, so a 7-day chart reaches up to now.
 */
export function withRecentHours<T extends SeriesSample>(hourly: T[], minutes: T[]): SeriesSample[] {
  const folded = new Set(hourly.map((row) => row.at.getTime()));
  const recent = [...byHour(minutes)]
    .filter(([hour]) => !folded.has(hour))
    .map(([hour, rows]) => ({
      at: new Date(hour),
      cpuPercent: average(rows.map((row) => row.cpuPercent)),
      cpuPercentMax: Math.max(...rows.map((row) => row.cpuPercentMax)),
      memoryBytes: average(rows.map((row) => row.memoryBytes)),
      memoryBytesMax: Math.max(...rows.map((row) => row.memoryBytesMax)),
      memoryLimitBytes: rows.at(-1)?.memoryLimitBytes ?? null,
      networkRxBytes: Math.max(...rows.map((row) => row.networkRxBytes)),
      networkTxBytes: Math.max(...rows.map((row) => row.networkTxBytes)),
      restarts: Math.max(...rows.map((row) => row.restarts)),
    }));
  return [...hourly, ...recent].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** As withRecentHours, for uptime checks. */
export function withRecentCheckHours<T extends SeriesCheck>(hourly: T[], minutes: T[]): SeriesCheck[] {
  const folded = new Set(hourly.map((row) => row.at.getTime()));
  const recent = [...byHour(minutes)]
    .filter(([hour]) => !folded.has(hour))
    .map(([hour, rows]) => {
      const answered = rows.flatMap((row) => (row.responseMs === null ? [] : [row.responseMs]));
      return {
        at: new Date(hour),
        checks: rows.reduce((sum, row) => sum + row.checks, 0),
        upChecks: rows.reduce((sum, row) => sum + row.upChecks, 0),
        responseMs: answered.length > 0 ? average(answered) : null,
        statusCode: null,
      };
    });
  return [...hourly, ...recent].sort((a, b) => a.at.getTime() - b.at.getTime());
}
