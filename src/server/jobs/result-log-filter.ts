/**
 * Decides which job results the worker prints. A scheduled job (reconcile, domain checks, cleanup) runs
 * every minute forever; printing the same result each time buries what matters, so its result is
 * printed only when it differs from that job's previous one. Results of other jobs are always printed.
 */
export function createResultLogFilter(scheduledJobs: Iterable<string>) {
  const scheduled = new Set(scheduledJobs);
  const previous = new Map<string, string>();
  return (jobName: string, result: string): boolean => {
    if (!scheduled.has(jobName)) return true;
    if (previous.get(jobName) === result) return false;
    previous.set(jobName, result);
    return true;
  };
}
