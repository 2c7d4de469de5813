import { env } from '@/env';
import { groupHostOf } from '@/server/domains/projects/project-url';
import { instanceProbe } from '@/server/domains/uptime/instance-probe';
import { probeThroughProxy } from '@/server/domains/uptime/proxy-probe';
import { checkRunningApps } from '@/server/domains/uptime/uptime.service';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { engineDeps } from '../engine';
import { uptimeProxyTarget } from './uptime-proxy-target';

const TIMEOUT_MS = 10_000;
/** Runtimes whose apps Rise's Caddy serves; Kubernetes apps are reached through the cluster's ingress. */
const SERVED_BY_CADDY = ['docker'];

export async function handleUptimeCheck() {
  const target = uptimeProxyTarget(env);
  const runtime = engineDeps('docker').runtime;
  return checkRunningApps({
    probe: (host) => probeThroughProxy(target, host, TIMEOUT_MS),
    probeInstance: instanceProbe(
      async (instance) => (runtime instanceof DockerRuntime ? runtime.instanceAddress(instance) : null),
      TIMEOUT_MS,
    ),
    hostOf: (project) => groupHostOf(project, DEFAULT_GROUP),
    runtimes: SERVED_BY_CADDY,
  });
}
