import type { Runtime } from '@/server/runtime/types';
import { minuteOf } from '../app-metrics/retention';
import { deploymentRepo } from '../deployments/deployment.repo';
import { raiseNotification } from '../notifications/notification.service';
import { healthWatchRepo } from './health-watch.repo';

export type HealthWatchEngine = {
  runtime: Runtime;
  /** `host`: the instance is probed on its slot's host port, as the deploy engine probes it. */
  upstreamMode: 'host' | 'network';
  /** The deploy engine's probe timeout (RISE_HEALTH_CHECK_TIMEOUT_MS). */
  timeoutMs: number;
};

export type HealthWatchDeps = {
  /** The runtime (and its probe settings) of a project's `runtime` column. */
  engineOf: (runtime: string) => HealthWatchEngine;
  /** Runtimes whose apps Rise probes itself (Kubernetes probes its pods with the health path). */
  runtimes: readonly string[];
  /** Failing minute checks in a row that make an app `health-failing` (RISE_HEALTH_FAILING_AFTER). */
  failingAfter: number;
  now?: () => Date;
  log?: (line: string) => void;
};

export type HealthWatchReport = { checked: number; failing: number; raised: number; recovered: number };

/**
 * Probes the health path of every running app's active deployment once (a minute is counted once),
 * the way the deploy engine probed it before moving traffic: failing is no answer within the probe
 * timeout, no connection, or a status >= 400. `failingAfter` failing checks in a row write a warn
 * event on the deployment and raise `app.health-failing`, once per streak; the next passing check
 * writes an info event and ends the streak. An instance that does not run is left to the reconciler
 * (crash restarts, `app.crash-looping`): its check counts neither way.
 */
export async function watchAppHealth(deps: HealthWatchDeps): Promise<HealthWatchReport> {
  const now = deps.now?.() ?? new Date();
  const minute = minuteOf(now);
  const projects = await healthWatchRepo.watchedProjects(deps.runtimes);
  const report: HealthWatchReport = { checked: 0, failing: 0, raised: 0, recovered: 0 };
  await Promise.all(
    projects.map(async (project) => {
      const deployment = project.activeDeployment;
      const engine = deps.engineOf(project.runtime);
      if (!deployment || !engine.runtime.probeHealth) return;
      const hostPort =
        engine.upstreamMode === 'host'
          ? deployment.slot === 'b'
            ? project.slotPortB
            : project.slotPortA
          : null;
      let probe: Awaited<ReturnType<NonNullable<Runtime['probeHealth']>>>;
      try {
        probe = await engine.runtime.probeHealth(
          { project: project.name, deploymentId: deployment.id, port: project.port, hostPort },
          { path: project.healthPath, timeoutMs: engine.timeoutMs },
        );
      } catch (error) {
        deps.log?.(`health of ${project.name}/${deployment.id} could not be probed: ${messageOf(error)}`);
        return;
      }
      if (probe.state === 'not-running') return;
      report.checked++;
      if (probe.state === 'passing') {
        if (!(await healthWatchRepo.recordPass(deployment.id, minute))) return;
        if (deployment.healthFailingSince) {
          report.recovered++;
          await deploymentRepo.addEvent(deployment.id, 'Health check passes again', 'info');
        }
        return;
      }
      report.failing++;
      if (!(await healthWatchRepo.recordFailure(deployment.id, minute))) return;
      const failures = deployment.healthFailures + 1;
      if (failures < deps.failingAfter || deployment.healthFailingSince) return;
      if (!(await healthWatchRepo.markFailing(deployment.id, now))) return;
      report.raised++;
      await deploymentRepo.addEvent(
        deployment.id,
        `Health check failing: ${probe.error} (${failures} checks in a row, one a minute); the container still runs`,
        'warn',
      );
      await raiseNotification({
        kind: 'app.health-failing',
        projectId: project.id,
        title: `${project.name} is failing its health check`,
        details: {
          deploymentId: deployment.id,
          healthPath: project.healthPath,
          error: probe.error,
          failures,
        },
        dedupeKey: `app.health-failing:${deployment.id}:${now.toISOString()}`,
      });
    }),
  );
  return report;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
