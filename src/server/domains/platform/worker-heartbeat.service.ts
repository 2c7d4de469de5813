import { type WorkerHeartbeatRow, workerHeartbeatRepo } from './worker-heartbeat.repo';

/** How often a worker reports, and when its silence means it is gone (four missed reports). */
export const HEARTBEAT_INTERVAL_MS = 15_000;
export const HEARTBEAT_STALE_AFTER_MS = 60_000;
/** Reports of workers gone for this long are deleted. */
const HEARTBEAT_KEEP_MS = 24 * 60 * 60 * 1000;
/** At most this many workers are listed on the card. */
const LISTED_WORKERS = 5;

export type RuntimeReport = { ok: boolean; detail: string };

/** `12 s`, `3 min`, `2 h`, `4 d`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/**
 * What Admin → Health says about the runtime, from the workers' reports (newest first): the runtime
 * is checked where it is used, by the worker, so the web server needs no Docker socket. Pure.
 */
export function describeWorkerHeartbeats(
  rows: readonly WorkerHeartbeatRow[],
  now: Date,
  staleAfterMs = HEARTBEAT_STALE_AFTER_MS,
): RuntimeReport {
  const newest = rows[0];
  if (!newest)
    return {
      ok: false,
      detail:
        'no worker heartbeat yet — is the worker running? (npm start runs it; in the compose stack, the worker service)',
    };
  const age = (row: WorkerHeartbeatRow) => now.getTime() - row.seenAt.getTime();
  const fresh = rows.filter((row) => age(row) <= staleAfterMs);
  if (fresh.length === 0)
    return {
      ok: false,
      detail: `no worker heartbeat for ${formatAge(age(newest))} (it last said: ${newest.runtimeDetail}) — is the worker running?`,
    };
  const seen = (row: WorkerHeartbeatRow) => `last seen ${formatAge(age(row))} ago: ${row.runtimeDetail}`;
  const detail =
    fresh.length === 1
      ? `worker ${seen(fresh[0]!)}`
      : `${fresh.length} workers: ${fresh
          .slice(0, LISTED_WORKERS)
          .map((row) => `${row.hostname} ${seen(row)}`)
          .join('; ')}`;
  return { ok: fresh.every((row) => row.runtimeOk), detail };
}

/** The runtime's health as the workers last reported it. */
export async function runtimeHealthFromWorkers(now = new Date()): Promise<RuntimeReport> {
  return describeWorkerHeartbeats(await workerHeartbeatRepo.listRecent(50), now);
}

/** Stores one worker's report and forgets workers gone for a day. */
export async function recordWorkerHeartbeat(
  worker: { id: string; hostname: string; pid: number; startedAt: Date },
  runtime: RuntimeReport,
  now = new Date(),
): Promise<void> {
  await workerHeartbeatRepo.save({
    ...worker,
    runtimeOk: runtime.ok,
    runtimeDetail: runtime.detail.slice(0, 500),
    seenAt: now,
  });
  await workerHeartbeatRepo.deleteSeenBefore(new Date(now.getTime() - HEARTBEAT_KEEP_MS));
}
