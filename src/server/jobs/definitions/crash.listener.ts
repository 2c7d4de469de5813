import { watchCrashes } from '@/server/domains/deployments/crash-watch';
import { engineDeps } from '../engine';
import { enqueueDebounced } from '../enqueue';
import { reconcileJob } from './reconcile.job';

/** A burst of crashes (or a daemon restart stopping every app) queues one reconcile, then at most one more. */
const DEBOUNCE_SECONDS = 2;

/**
 * Runs in a worker serving `reconcile`: a crashed Docker app is reconciled (restarted, or its backoff
 * scheduled) as soon as it dies instead of at the next minute's pass. Several workers may listen: the
 * queue is debounced and reconciling is idempotent.
 */
export function startCrashListener(log: (line: string) => void): () => void {
  const stop = watchCrashes(
    engineDeps('docker'),
    () => enqueueDebounced(reconcileJob, {}, DEBOUNCE_SECONDS),
    log,
  );
  return stop ?? (() => {});
}
