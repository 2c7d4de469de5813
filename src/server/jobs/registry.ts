import { cleanupJob } from './definitions/cleanup.job';
import type { JobDefinition } from './types';

/** Every job the worker knows; a worker may run a subset (`--queues`). */
export const jobs: readonly JobDefinition[] = [cleanupJob];

export function selectJobs(names: readonly string[] | undefined): JobDefinition[] {
  if (!names || names.length === 0) return [...jobs];
  const unknown = names.filter((name) => !jobs.some((job) => job.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown queue(s): ${unknown.join(', ')}. Known queues: ${jobs.map((job) => job.name).join(', ')}.`,
    );
  }
  return jobs.filter((job) => names.includes(job.name));
}
