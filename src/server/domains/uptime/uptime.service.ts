import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { deleteHoursBefore, foldBefore, minuteOf } from '../app-metrics/retention';
import { raiseNotification } from '../notifications/notification.service';
import { privateAppOutcome } from './private-app-outcome';
import type { ProbeOutcome } from './proxy-probe';
import { type UptimeTarget, uptimeRepo } from './uptime.repo';

export type UptimeDeps = {
  /** Checks one app host through Rise's proxy. */
  probe: (host: string) => Promise<ProbeOutcome>;
  /**
   * Checks a target's running instance directly, where Rise's health check reaches it. Used for
   * private apps: through the proxy they answer Rise's sign-in whatever state the app is in.
   */
  probeInstance: (target: UptimeTarget, host: string) => Promise<ProbeOutcome>;
  /** The app host of a project's default group (`<name>.<base domain>`); previews have their stored host. */
  hostOf: (project: string) => string;
  /** The runtimes whose apps the probed proxy serves (Kubernetes apps are served by the cluster's ingress). */
  runtimes: readonly string[];
  now?: () => Date;
};

/** How a target is named in notifications: `app`, or `app (preview mr/26)`. */
const labelOf = (target: UptimeTarget) =>
  target.group === DEFAULT_GROUP ? target.project : `${target.project} (preview ${target.group})`;

async function probeTarget(deps: UptimeDeps, target: UptimeTarget, host: string): Promise<ProbeOutcome> {
  const proxy = await deps.probe(host);
  if (target.visibility === 'public') return proxy;
  return privateAppOutcome(proxy, proxy.up ? await deps.probeInstance(target, host) : null);
}

/**
 * Checks the URL of every running project and of every live preview once and records the result,
 * each under its group (a project's chart shows its own URL only). When a URL's state differs from
 * its previous check's, raises `app.down` or `app.up` (once: a minute is checked once, see
 * insertMinute). A URL's first check raises nothing: there is no change to tell.
 */
export async function checkRunningApps(
  deps: UptimeDeps,
): Promise<{ checked: number; down: number; changed: number }> {
  const at = minuteOf(deps.now?.() ?? new Date());
  const targets = await uptimeRepo.checkedTargets(deps.runtimes);
  let down = 0;
  let changed = 0;
  await Promise.all(
    targets.map(async (target) => {
      const host = target.host ?? deps.hostOf(target.project);
      const [outcome, previous] = await Promise.all([
        probeTarget(deps, target, host),
        uptimeRepo.lastCheck(target.projectId, target.group),
      ]);
      if (!outcome.up) down++;
      const written = await uptimeRepo.insertMinute({
        projectId: target.projectId,
        group: target.group,
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
      const label = labelOf(target);
      await raiseNotification(
        outcome.up
          ? {
              kind: 'app.up',
              projectId: target.projectId,
              title: `${label} is up again`,
              details: {
                host,
                group: target.group,
                statusCode: outcome.statusCode,
                responseMs: outcome.responseMs,
              },
            }
          : {
              kind: 'app.down',
              projectId: target.projectId,
              title: `${label} is down`,
              details: { host, group: target.group, statusCode: outcome.statusCode, error: outcome.error },
            },
      );
    }),
  );
  return { checked: targets.length, down, changed };
}

/** Folds minute checks older than 24 h into hourly ones and deletes hourly ones older than 30 days. */
export function downsampleUptime(now = new Date()) {
  return uptimeRepo.downsample(foldBefore(now), deleteHoursBefore(now));
}
