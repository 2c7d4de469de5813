import { restartWake } from '@/server/domains/deployments/crash-loop';
import { reconcile } from '@/server/domains/deployments/reconcile';
import { projectRepo } from '@/server/domains/projects/project.repo';
import { recordReconcilePass } from '@/server/metrics/record-metrics';
import { RUNTIME_MODULES } from '@/server/runtime/registry';
import { inTransaction } from '@/server/transaction';
import { RUNTIME_NAMES, type RuntimeName } from '@/shared/runtimes';
import { engineDeps } from '../engine';
import { enqueue } from '../enqueue';
import { reconcileJob } from './reconcile.job';

type ReconcileReport = Awaited<ReturnType<typeof reconcile>>;

/**
 * Reconciles each runtime's projects with its own runtime and router: a runtime whose module asks for
 * it always (Docker: it also clears what projects that moved away left), the others only while a
 * project uses them, so installations without e.g. a cluster never reach for one.
 */
export async function handleReconcile(): Promise<Partial<Record<RuntimeName, ReconcileReport>>> {
  const reports: Partial<Record<RuntimeName, ReconcileReport>> = {};
  for (const runtime of RUNTIME_NAMES) {
    if (!RUNTIME_MODULES[runtime].alwaysReconcile && !(await projectRepo.anyOnRuntime(runtime))) continue;
    try {
      reports[runtime] = await reconcile(engineDeps(runtime), new Date(), { runtime });
    } catch (error) {
      recordReconcilePass(runtime, null);
      throw error;
    }
    recordReconcilePass(runtime, reports[runtime]);
  }
  await wakeForRestart(Object.values(reports).map((report) => report.nextRestartAt));
  return reports;
}

/** The schedule (reconcile.job.ts) runs every minute. */
const SCHEDULE_MS = 60_000;

/**
 * Enqueues a reconcile for the earliest crash restart due before the next scheduled run, so restart
 * backoffs under a minute (RISE_RESTART_BACKOFF_MS) are kept rather than rounded up to the schedule.
 */
async function wakeForRestart(due: (Date | null)[]): Promise<void> {
  const at = restartWake(due, new Date(), SCHEDULE_MS);
  if (at) await inTransaction((tx) => enqueue(tx, reconcileJob, {}, { startAfter: at }));
}
