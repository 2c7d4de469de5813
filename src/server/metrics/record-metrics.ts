import { riseMetrics } from './registry';

/** Where the deploy engine spends a deployment's time; one histogram series each. */
export const DEPLOY_PHASES = ['resolve', 'start', 'health', 'switch', 'drain'] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

const seconds = (ms: number) => Math.max(0, ms) / 1000;

/** One job attempt: how long it waited since it was created, and how long it ran. */
export function recordJobAttempt(
  queue: string,
  attempt: { createdOn: Date; startedOn: Date; ranMs: number; failed: boolean },
) {
  const metrics = riseMetrics();
  metrics.jobLatency.observe({ queue }, seconds(attempt.startedOn.getTime() - attempt.createdOn.getTime()));
  metrics.jobDuration.observe(
    { queue, result: attempt.failed ? 'failed' : 'completed' },
    seconds(attempt.ranMs),
  );
}

export function recordDeployment(result: 'succeeded' | 'failed' | 'cancelled') {
  riseMetrics().deployments.inc({ result });
}

/** Times `phase` of a deployment: measured whether it succeeds or throws. */
export async function timeDeployPhase<T>(phase: DeployPhase, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    riseMetrics().deployPhase.observe({ phase }, seconds(performance.now() - started));
  }
}

/** One tRPC call; `procedure` is the router path (a closed set), `code` OK or the tRPC error code. */
export function recordApiRequest(request: { procedure: string; type: string; code: string; ms: number }) {
  riseMetrics().apiRequests.observe(
    { procedure: request.procedure, type: request.type, code: request.code },
    seconds(request.ms),
  );
}

export function recordBackup(backup: {
  engine: string;
  result: 'succeeded' | 'failed';
  ms: number;
  sizeBytes?: number;
}) {
  const metrics = riseMetrics();
  metrics.backups.inc({ engine: backup.engine, result: backup.result });
  metrics.backupDuration.observe({ engine: backup.engine, result: backup.result }, seconds(backup.ms));
  if (backup.sizeBytes !== undefined) metrics.backupSize.observe({ engine: backup.engine }, backup.sizeBytes);
}

/** `routesUpserted` → `routes_upserted`: the report's counters as label values. */
const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** One reconcile pass of `runtime`: its result, and each repair count its report has. */
export function recordReconcilePass(runtime: string, report: Readonly<Record<string, unknown>> | null) {
  const metrics = riseMetrics();
  metrics.reconcilePasses.inc({ runtime, result: report ? 'ok' : 'failed' });
  // The report's counts are repairs; its other fields (e.g. the next restart's time) are not.
  for (const [kind, count] of Object.entries(report ?? {}))
    if (typeof count === 'number' && count > 0)
      metrics.reconcileRepairs.inc({ runtime, kind: snakeCase(kind) }, count);
}
