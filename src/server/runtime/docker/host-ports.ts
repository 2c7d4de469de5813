import { createServer } from 'node:net';
import type Dockerode from 'dockerode';
import { ignoreStatus } from '@/server/docker/docker-errors';
import type { RiseLabels } from '@/server/docker/labels';
import { readHostPortsLabel } from './instance-labels';

/** Whether one host port can take an app slot; made by `HostPorts.check` for one allocation. */
export type HostPortAvailable = (port: number) => Promise<boolean>;

/** The proxy dials slots here (upstream mode `host`), so this is the address a slot port must be free on. */
const SLOT_HOST = '127.0.0.1';

/**
 * Host ports that can take an app slot: nothing listens on 127.0.0.1:<port> (a real bind, which also
 * fails for a listener on all interfaces) and no container of the engine publishes it, whoever owns
 * the container (another Rise installation on the same engine). The second matters because with
 * Docker's userland proxy disabled a published port has no listener a bind could notice, and because
 * a stopped container takes its ports back when it starts again. Ports a Rise app container names in
 * its `host-ports` label (its project's idle slot, whichever installation runs it) count as taken too.
 */
export class HostPorts {
  constructor(
    private readonly docker: Dockerode,
    private readonly labels: RiseLabels,
  ) {}

  /** Reads what the engine's containers publish once; each port asked about is then bind-tested. */
  async check(): Promise<HostPortAvailable> {
    const published = await this.publishedPorts();
    return async (port) => !published.has(port) && (await canBind(port));
  }

  /** Host ports of every container's port bindings, running or not, and those Rise apps hold. */
  async publishedPorts(): Promise<Set<number>> {
    const ports = new Set<number>();
    const containers = await this.docker.listContainers({ all: true });
    for (const container of containers) {
      for (const port of readHostPortsLabel(this.labels, container.Labels)) ports.add(port);
      for (const binding of container.Ports ?? []) {
        if (binding.PublicPort) ports.add(binding.PublicPort);
      }
      // The summary lists ports only while a container runs; its bindings say what it takes at start.
      if (container.State === 'running') continue;
      const info = await ignoreStatus([404], () => this.docker.getContainer(container.Id).inspect());
      for (const bindings of Object.values(info?.HostConfig.PortBindings ?? {})) {
        for (const binding of (bindings ?? []) as { HostPort?: string }[]) {
          for (const port of hostPortsOf(binding.HostPort)) ports.add(port);
        }
      }
    }
    return ports;
  }
}

/** `"8080"` or a range `"8080-8082"`; empty (Docker picks one at start) gives none. */
function hostPortsOf(value: string | undefined): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value?.trim() ?? '');
  if (!match) return [];
  const first = Number(match[1]);
  const last = match[2] ? Number(match[2]) : first;
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, index) => first + index);
}

/** True when this process could listen on 127.0.0.1:<port> (it closes again at once). */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: SLOT_HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
