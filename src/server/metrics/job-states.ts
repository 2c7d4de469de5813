import { Gauge } from 'prom-client';
import { queueCounts } from './job-counts.repo';
import { riseMetrics } from './registry';

export const JOB_STATES = ['deferred', 'ready', 'active', 'failed'] as const;

const GLOBAL_KEY = Symbol.for('rise.metrics.job-states');

/**
 * Adds `rise_jobs{queue,state}` to this process's registry, read from pg-boss at scrape time. Only the
 * web server registers it: it is one figure for the whole installation, however many workers run.
 */
export function registerJobStates(log: (line: string) => void = console.error) {
  const holder = globalThis as { [GLOBAL_KEY]?: true };
  if (holder[GLOBAL_KEY]) return;
  holder[GLOBAL_KEY] = true;
  new Gauge({
    name: 'rise_jobs',
    help: "Jobs per queue and state (deferred, ready, active, failed) as pg-boss's monitor last counted them.",
    labelNames: ['queue', 'state'] as const,
    registers: [riseMetrics().registry],
    async collect() {
      this.reset();
      try {
        for (const counts of await queueCounts())
          for (const state of JOB_STATES) this.set({ queue: counts.queue, state }, Number(counts[state]));
      } catch (error) {
        // A scrape still answers (process metrics) while the database is away.
        log(`metrics: job counts unavailable: ${error instanceof Error ? error.message : error}`);
      }
    },
  });
}
