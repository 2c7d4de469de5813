import type Dockerode from 'dockerode';
import { type RiseLabels, replicaAlias } from '@/server/docker/labels';
import { instanceEnv } from '../instance-env';
import {
  type InstanceRef,
  type InstanceSpec,
  type OneOffSpec,
  processOf,
  replicaOf,
  WEB_PROCESS,
} from '../types';
import { instanceLabels } from './instance-labels';

/**
 * Docker never restarts an app: a crashed container stays `exited` and the reconciler restarts it, with
 * a backoff that only a stable run resets, and tells people when it crash-loops (crash-loop.ts). Two
 * restarters (Docker's quick ones, then the reconciler's) made every reconciler restart look like a
 * recovery and the backoff never grew. While an instance starts, the runtime tolerates one crash itself
 * (DockerRuntime.waitHealthy). Consequence: after a host or daemon restart, the reconciler (not Docker)
 * brings apps back, at worker start and then every minute.
 */
export const RESTART_POLICY = { Name: 'no' };

/** Bounded local logs that `docker logs` (and Runtime.logs) can read, whatever the daemon's default driver. */
const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } };

/** The Engine API body that creates the container of one instance. */
export function containerCreateOptions(
  name: string,
  spec: InstanceSpec & Partial<InstanceRef>,
  context: {
    network: string;
    labels: RiseLabels;
    extraLabels: Record<string, string>;
    /** The project's volumes (ProjectVolumes.ensure). */
    mounts?: Dockerode.MountSettings[];
  },
): Dockerode.ContainerCreateOptions {
  const port = `${spec.port}/tcp`;
  const memory = spec.memoryLimitMb === null ? undefined : Math.round(spec.memoryLimitMb * 1024 * 1024);
  return {
    name,
    Image: spec.image,
    Env: Object.entries(instanceEnv(spec)).map(([key, value]) => `${key}=${value}`),
    Labels: instanceLabels(context.labels, spec, context.extraLabels),
    ExposedPorts: { [port]: {} },
    // The engine then uses neither the image's ENTRYPOINT nor its CMD.
    ...(spec.command?.length ? { Entrypoint: spec.command } : {}),
    HostConfig: {
      NetworkMode: context.network,
      RestartPolicy: RESTART_POLICY,
      // tini as PID 1: apps that ignore SIGTERM as PID 1 still stop within the grace period.
      Init: true,
      // Without raw sockets an app cannot forge frames on the shared bridge (ARP spoofing of other
      // tenants' or Caddy's traffic, packets to the host's 127.0.0.1 where route_localnet is on).
      CapDrop: ['NET_RAW'],
      NanoCpus: spec.cpuLimit === null ? undefined : Math.round(spec.cpuLimit * 1e9),
      Memory: memory,
      // Equal to Memory: no swap on top of the limit.
      MemorySwap: memory,
      PortBindings:
        spec.hostPort === null
          ? undefined
          : { [port]: [{ HostIp: '127.0.0.1', HostPort: String(spec.hostPort) }] },
      LogConfig: LOG_CONFIG,
      ...(context.mounts?.length ? { Mounts: context.mounts } : {}),
    },
    NetworkingConfig: {
      // Only web is routed: other processes need no name the proxy could dial.
      EndpointsConfig: {
        [context.network]:
          processOf(spec) === WEB_PROCESS
            ? { Aliases: [replicaAlias(spec.project, spec.slot, spec.group, replicaOf(spec))] }
            : {},
      },
    },
  };
}

/**
 * The Engine API body of a one-off container (release, post-deploy, `rise run`): the app's env, network,
 * limits and hardening, but no published port, no slot alias and no slot label (so it is never taken
 * for an instance), and `command` instead of the image's ENTRYPOINT and CMD.
 */
export function oneOffCreateOptions(
  name: string,
  spec: OneOffSpec,
  context: { network: string; labels: RiseLabels; extraLabels: Record<string, string> },
): Dockerode.ContainerCreateOptions {
  const { labels } = context;
  const memory = spec.memoryLimitMb === null ? undefined : Math.round(spec.memoryLimitMb * 1024 * 1024);
  return {
    name,
    Image: spec.image,
    Entrypoint: spec.command,
    Env: Object.entries(instanceEnv(spec)).map(([key, value]) => `${key}=${value}`),
    Labels: {
      ...context.extraLabels,
      [labels.managedBy]: labels.manager,
      [labels.project]: spec.project,
      [labels.deployment]: spec.deploymentId,
      [labels.oneOff]: spec.kind,
      ...(spec.group ? { [labels.group]: spec.group } : {}),
    },
    HostConfig: {
      NetworkMode: context.network,
      RestartPolicy: RESTART_POLICY,
      Init: true,
      CapDrop: ['NET_RAW'],
      NanoCpus: spec.cpuLimit === null ? undefined : Math.round(spec.cpuLimit * 1e9),
      Memory: memory,
      MemorySwap: memory,
      LogConfig: LOG_CONFIG,
    },
  };
}
