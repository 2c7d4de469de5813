import { env } from '@/env';
import { groupHostOf } from '@/server/domains/projects/project-url';
import { probeThroughProxy } from '@/server/domains/uptime/proxy-probe';
import { checkRunningApps } from '@/server/domains/uptime/uptime.service';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { uptimeProxyTarget } from './uptime-proxy-target';

const TIMEOUT_MS = 10_000;

export async function handleUptimeCheck() {
  const target = uptimeProxyTarget(env);
  return checkRunningApps({
    probe: (host) => probeThroughProxy(target, host, TIMEOUT_MS),
    hostOf: (project) => groupHostOf(project, DEFAULT_GROUP),
  });
}
