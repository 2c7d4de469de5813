import { httpRequest } from '../../test/http-load';
import { waitFor } from '../../test/wait';
import { APP_PORT, appImage } from './app-image';
import type { Stack } from './stack';
import type { DeployTimeline } from './types';

export const appHost = (project: string) => `${project}.localhost`;

export async function createProject(stack: Stack, name: string): Promise<void> {
  await stack.api.project.create.mutate({ name, port: APP_PORT, healthPath: '/health' });
}

/** Queues a deployment of `image` through the API; `requestedAt` is just before the call. */
export async function deploy(stack: Stack, project: string, image: string) {
  const requestedAt = Date.now();
  const { id } = await stack.api.deployment.create.mutate({ project, image });
  return { id, requestedAt };
}

/**
 * A new project with an app image answering each of `versions` (built side by side), serving the first
 * once its deployment finished. Returns the images, in the order of `versions`.
 */
export async function projectServingFirst(
  stack: Stack,
  project: string,
  versions: string[],
): Promise<string[]> {
  await createProject(stack, project);
  const images = await Promise.all(
    versions.map((version) => appImage(stack.docker, project, version, stack.images)),
  );
  await waitFinished(stack, (await deploy(stack, project, images[0] as string)).id);
  return images;
}

type DeploymentRow = {
  created: number;
  started: number | null;
  healthy: number | null;
  slot: 'a' | 'b' | null;
  status: string;
  error: string | null;
};

export async function deploymentRow(stack: Stack, id: string): Promise<DeploymentRow> {
  const { rows } = await stack.db.query(
    `SELECT extract(epoch FROM created_at) * 1000 AS created, extract(epoch FROM started_at) * 1000 AS started,
            extract(epoch FROM healthy_at) * 1000 AS healthy, slot, status, error
       FROM deployments WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new Error(`no deployment ${id}`);
  const ms = (value: string | null) => (value === null ? null : Math.round(Number(value)));
  return {
    created: ms(row.created) as number,
    started: ms(row.started),
    healthy: ms(row.healthy),
    slot: row.slot,
    status: row.status,
    error: row.error,
  };
}

async function events(stack: Stack, id: string): Promise<{ message: string; at: number }[]> {
  const { rows } = await stack.db.query(
    `SELECT message, extract(epoch FROM created_at) * 1000 AS at FROM deployment_events
      WHERE deployment_id = $1 ORDER BY id`,
    [id],
  );
  return rows.map((row) => ({ message: row.message as string, at: Math.round(Number(row.at)) }));
}

const FINAL = /deployment (successful|failed|cancelled)/i;

/**
 * Waits until the deployment is over: its final event written, or (should that event be renamed) it is
 * healthy and its instance is the project's only container left, i.e. the old one is gone.
 */
export async function waitFinished(stack: Stack, id: string, timeoutMs = 120_000): Promise<DeploymentRow> {
  await waitFor(
    async () => {
      if ((await events(stack, id)).some((event) => FINAL.test(event.message))) return true;
      const row = await deploymentRow(stack, id);
      if (['failed', 'cancelled'].includes(row.status)) return true;
      if (row.status !== 'healthy') return false;
      const containers = await stack.docker.listContainers({
        all: true,
        filters: { label: [`dev.rise.managed-by=${stack.instanceId}`, `dev.rise.deployment`] },
      });
      const project = containers.find((container) => container.Labels['dev.rise.deployment'] === id)?.Labels[
        'dev.rise.project'
      ];
      return (
        Boolean(project) && containers.filter((c) => c.Labels['dev.rise.project'] === project).length === 1
      );
    },
    { description: `deployment ${id} to finish`, timeoutMs, intervalMs: 100, context: () => stack.output() },
  );
  const row = await deploymentRow(stack, id);
  if (row.status !== 'healthy') throw new Error(`deployment ${id} ended ${row.status}: ${row.error}`);
  return row;
}

/** When each phase of deployment `id` began, from its row and events (and its predecessor's). */
export async function deploymentTimeline(stack: Stack, id: string, label: string): Promise<DeployTimeline> {
  const row = await deploymentRow(stack, id);
  const own = await events(stack, id);
  const first = (pattern: RegExp) => own.find((event) => pattern.test(event.message))?.at;
  const { rows } = await stack.db.query(
    `SELECT extract(epoch FROM created_at) * 1000 AS at FROM deployment_events
      WHERE deployment_id <> $1 AND message LIKE '%' || $1 || '%' AND message ~* '(removed|stopped)'
      ORDER BY id LIMIT 1`,
    [id],
  );
  return {
    label,
    queued: row.created,
    pickedUp: row.started ?? own[0]?.at,
    containerStarted: own.find(
      (event) =>
        !/^(starting|resolving)\b/i.test(event.message) && /waiting|started|prob|health/i.test(event.message),
    )?.at,
    healthy: row.healthy ?? undefined,
    // "Traffic switched …" (or an older "traffic moves …"), not "moving traffic" before the write.
    trafficSwitched: first(/\btraffic (switched|moves|moved)\b/i),
    oldStopped: rows[0] ? Math.round(Number(rows[0].at)) : undefined,
  };
}

/** Polls the app through the apps' port (new connection each time) until it answers `body`; returns when. */
export async function firstAnswer(stack: Stack, project: string, body: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const answer = await httpRequest({ port: stack.appsPort, host: appHost(project), timeoutMs: 5_000 });
      return answer.status === 200 && answer.body === body ? Date.now() : null;
    },
    { description: `${project} to answer "${body}"`, timeoutMs, intervalMs: 20 },
  );
}
