import { type InstanceStatus, isPrimary, processOf, replicaOf } from '@/server/runtime/types';
import { CRASH_LOG_LINES, crashTitle, planCrashRestart, ranStable } from './crash-loop';
import type { EngineDeps, EngineNotification } from './engine-deps';
import type { DeploymentRow, EngineProject } from './engine-repos';
import { lastOutputOf } from './instance-output';
import { syncRoute } from './route-sync';
import { instanceSpecFor } from './run-deployment';
import { startOnFreePort } from './slot-ports';

// The reconciler's crash restarts: it alone restarts apps on Docker (its restart policy is `no`).
// Kubernetes restarts pods itself and reports a crash-looping pod as `restarting`, which counts as
// running here: there Rise only records the crashes it reports (observeRuntimeCrashes).

type Counts = { recovered: number; stabilised: number; restarted: number };

/**
 * An active instance that runs: `unhealthy` (after a crash restart) becomes `healthy` again; the restart
 * count, and a crash loop, end only once it has run for the stable period.
 */
export async function runningAgain(
  deps: EngineDeps,
  active: DeploymentRow,
  instance: InstanceStatus,
  now: Date,
  report: Counts,
): Promise<void> {
  const { deployments } = deps.repos;
  if (active.status === 'unhealthy' && (await deployments.transition(active.id, 'unhealthy', 'healthy'))) {
    await deployments.addEvent(active.id, 'Running again');
    report.recovered++;
  }
  const crashed = active.restartCount > 0 || active.crashLoopSince !== null;
  if (!crashed || !ranStable(instance.startedAt, now, deps.settings.crashLoop.stableAfterMs)) return;
  await deployments.update(active.id, { restartCount: 0, nextRestartAt: null, crashLoopSince: null });
  const ran = Math.round(deps.settings.crashLoop.stableAfterMs / 1000);
  const loop = active.crashLoopSince ? '; no longer crash-looping' : '';
  await deployments.addEvent(active.id, `Ran ${ran} s without crashing: restart count reset${loop}`);
  report.stabilised++;
}

/**
 * Records what a runtime that restarts crashed apps itself (Kubernetes) tells of the active instance:
 * a crash newer than the last recorded one (its exit code, the restart count the runtime reports, the
 * last log lines), and the start of a crash loop (CrashLoopBackOff: state `restarting`), told once
 * (app.crash-looping). Rise restarts nothing here; a stable run ends the loop as on Docker (runningAgain).
 */
export async function observeRuntimeCrashes(
  deps: EngineDeps,
  project: EngineProject,
  active: DeploymentRow,
  instance: InstanceStatus,
): Promise<void> {
  const restarts = instance.runtimeRestarts;
  if (!restarts) return;
  const { deployments } = deps.repos;
  const crashedAt = restarts.lastCrashAt;
  const newCrash = crashedAt !== null && (active.lastCrashAt === null || crashedAt > active.lastCrashAt);
  const startsLoop = instance.state === 'restarting' && active.crashLoopSince === null;
  if (!newCrash && !startsLoop) return;
  const logLines = newCrash ? await lastLogLines(deps, project.name, active.id) : [];
  const now = deps.clock.now();
  await deployments.update(active.id, {
    restartCount: Math.max(restarts.count, 1),
    ...(newCrash
      ? { lastCrashAt: crashedAt, lastExitCode: restarts.lastExitCode, lastCrashLog: logLines }
      : {}),
    ...(startsLoop ? { crashLoopSince: now } : {}),
  });
  if (newCrash) {
    await deployments.addEvent(
      active.id,
      `Instance exited with code ${restarts.lastExitCode ?? '?'}; ${deps.runtime.name} restarted it (${restarts.count} restarts)`,
      'warn',
    );
  }
  if (!startsLoop) return;
  await deployments.addEvent(
    active.id,
    `Crash-looping: ${deps.runtime.name} backs off restarting it (CrashLoopBackOff, ${restarts.count} restarts)`,
    'error',
  );
  const exitCode = restarts.lastExitCode;
  await deps.notify?.({
    kind: 'app.crash-looping',
    projectId: project.id,
    title: crashTitle('app.crash-looping', project.name, { exitCode, restart: restarts.count }),
    details: {
      project: project.name,
      group: project.group,
      deploymentId: active.id,
      exitCode,
      restart: restarts.count,
      logLines,
    },
  });
}

/**
 * Restarts the active instance of `project`, which has stopped or is gone, once its backoff has passed:
 * records the crash (exit code, last log lines), schedules the earliest next restart, and tells people
 * (see planCrashRestart). Returns that earliest next restart.
 */
export async function restartCrashed(
  deps: EngineDeps,
  project: EngineProject,
  active: DeploymentRow,
  instance: InstanceStatus | null,
  now: Date,
  report: Counts,
): Promise<Date> {
  const { deployments } = deps.repos;
  const plan = planCrashRestart(active, now, deps.settings);
  const exitCode = instance ? instance.exitCode : null;
  const logLines = instance ? await lastLogLines(deps, project.name, active.id, instance) : [];
  const crash = {
    restartCount: plan.restart,
    nextRestartAt: plan.nextRestartAt,
    lastCrashAt: now,
    lastExitCode: exitCode,
    lastCrashLog: logLines,
    ...(plan.startsLoop ? { crashLoopSince: now } : {}),
  };
  if (active.status === 'healthy') await deployments.transition(active.id, 'healthy', 'unhealthy', crash);
  else await deployments.update(active.id, crash);
  const which = instance && !isPrimary(instance) ? ` ${processOf(instance)}/${replicaOf(instance)}` : '';
  const why = instance ? `exited with code ${exitCode ?? '?'}` : 'is missing';
  await deployments.addEvent(active.id, `Instance${which} ${why}; restart #${plan.restart}`, 'warn');
  if (plan.startsLoop) {
    await deployments.addEvent(
      active.id,
      `Crash-looping: ${plan.restart} restarts without a stable run; restarts continue with backoff`,
      'error',
    );
  }
  const notify = async (kind: EngineNotification['kind']) => {
    if (!plan.notify.includes(kind) || !deps.notify) return;
    await deps.notify({
      kind,
      projectId: project.id,
      title: crashTitle(kind, project.name, { exitCode, restart: plan.restart }),
      details: {
        project: project.name,
        group: project.group,
        deploymentId: active.id,
        exitCode,
        restart: plan.restart,
        nextRestartAt: plan.nextRestartAt.toISOString(),
        logLines,
      },
    });
  };
  await notify('app.crashed');
  await notify('app.crash-looping');
  try {
    if (instance) {
      await deps.runtime.restart(project.name, active.id, {
        process: processOf(instance),
        replica: replicaOf(instance),
      });
    } else if (active.image && active.imageDigest && active.slot) {
      // The image is re-checked for this project (instanceSpecFor pins it through deps.images).
      const spec = await instanceSpecFor(deps, project, {
        id: active.id,
        image: active.image,
        digest: active.imageDigest,
        slot: active.slot,
        webReplicas: active.webReplicas ?? 1,
      });
      const event = (text: string, level: 'info' | 'warn' | 'error') =>
        deployments.addEvent(active.id, text, level);
      const started = await startOnFreePort(deps, project, spec, event);
      // The route names the active slot's port, which just moved.
      if (started.moved) await syncRoute(deps, project.id, project.group);
    }
    report.restarted++;
    // The backoff counts from the restart itself, not from the start of this pass: collecting the log
    // lines and recording the crash take a while, which would otherwise shorten the next interval.
    const nextRestartAt = new Date(deps.clock.now().getTime() + plan.backoffMs);
    await deployments.update(active.id, { nextRestartAt });
    await notify('app.restarted');
    return nextRestartAt;
  } catch (error) {
    // One project's failure (its image refused or gone, its registry down) must not stop the others'.
    const reason = error instanceof Error ? error.message : String(error);
    await deployments.addEvent(active.id, `Restart failed: ${reason.slice(0, 2000)}`, 'error');
  }
  return plan.nextRestartAt;
}

/** The instance's last output before it stopped; none when the runtime cannot tell. */
async function lastLogLines(
  deps: EngineDeps,
  project: string,
  deploymentId: string,
  instance?: { process?: string; replica?: number },
): Promise<string[]> {
  const ref = instance ? { process: processOf(instance), replica: replicaOf(instance) } : undefined;
  return (await lastOutputOf(deps.runtime, project, deploymentId, CRASH_LOG_LINES, ref)).map(
    (entry) => entry.line,
  );
}
