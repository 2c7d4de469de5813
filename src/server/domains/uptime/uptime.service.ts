import { deleteHoursBefore, foldBefore, minuteOf } from '../app-metrics/retention';
import { raiseNotification } from '../notifications/notification.service';
import type { ProbeOutcome } from './proxy-probe';
import { uptimeRepo } from './uptime.repo';

export type UptimeDeps = {
  /** Checks one app host through Rise's proxy. */
  probe: (host: string) => Promise<ProbeOutcome>;
  /** The app host of a project (`<name>.<base domain>`). */
  hostOf: (project: string) => string;
  /** The runtimes whose apps the probed proxy serves (Kubernetes apps are served by the cluster's ingress). */
  runtimes: readonly string[];
  now?: () => Date;
};

/**
 * Checks the URL of every running project once and records the result. When a project's state
 * differs from its previous check's, raises `app.down` or `app.up` (once: a minute is checked once,
 * see insertMinute). A project's first check raises nothing: there is no change to tell.
 */
export async function checkRunningApps(
  deps: UptimeDeps,
): Promise<{ checked: number; down: number; changed: number }> {
  const at = minuteOf(deps.now?.() ?? new Date());
  const projects = await uptimeRepo.checkedProjects(deps.runtimes);
  let down = 0;
  let changed = 0;
  await Promise.all(
    projects.map(async (project) => {
      const host = deps.hostOf(project.name);
      const [outcome, previous] = await Promise.all([deps.probe(host), uptimeRepo.lastCheck(project.id)]);
      if (!outcome.up) down++;
      const written = await uptimeRepo.insertMinute({
        projectId: project.id,
        at,
        up: outcome.up,
        responseMs: outcome.up ? outcome.responseMs : null,
        statusCode: outcome.statusCode,
        error: outcome.error,
      });
      if (!written || !previous || previous.at >= at) return;
      const wasUp = previous.upChecks > 0;
      if (wasUp === outcome.up) return;
      changed++;
      await raiseNotification(
        outcome.up
          ? {
              kind: 'app.up',
              projectId: project.id,
              title: `${project.name} is up again`,
              details: { host, statusCode: outcome.statusCode, responseMs: outcome.responseMs },
            }
          : {
              kind: 'app.down',
              projectId: project.id,
              title: `${project.name} is down`,
              details: { host, statusCode: outcome.statusCode, error: outcome.error },
            },
      );
    }),
  );
  return { checked: projects.length, down, changed };
}

/** Folds minute checks older than 24 h into hourly ones and deletes hourly ones older than 30 days. */
export function downsampleUptime(now = new Date()) {
  return uptimeRepo.downsample(foldBefore(now), deleteHoursBefore(now));
}
