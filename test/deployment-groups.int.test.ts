import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppsEdge } from '@/server/platform/apps-edge';
import { httpApi } from './api-client';
import type { TestCaddy } from './caddy';
import { startVersionLoad } from './http-load';
import { getThroughProxy, proxyRequest } from './http-through-proxy';
import { buildTestAppImage, imageForProject, TEST_APP_PORT } from './images';
import type { NextServer } from './next-server';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';
import type { WorkerProcess } from './worker-process';

// Deployment groups for real (web server, worker, Docker, Caddy, registry): a preview group answers at
// its own host beside the project's default group, redeploys blue/green inside the group without
// losing a request, rolls back and stops inside the group, and expires by the worker's expiry job.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-groups-'));
const project = `grp-${runId}`;
const neighbour = `${project}-taken`;
const MAX_GROUPS = 4;
const docker = new Dockerode();
let stack: RiseStack;
let web: NextServer;
let caddy: TestCaddy;
let worker: WorkerProcess;
let token: string;
const images: Record<string, string> = {};

const api = () => httpApi(web.url, { token });
const hostOf = (group: string) => `${project}-${group.replaceAll('/', '--')}.localhost`;
const MAIN_HOST = `${project}.localhost`;

async function served(host: string) {
  const response = await getThroughProxy(caddy.httpPort, host);
  return { status: response.status, body: response.body.trim() };
}

/** Creates a deployment of `version` (in `group`) and waits until it is its group's healthy active one. */
async function deploy(version: string, options: { group?: string; expire?: string } = {}) {
  const created = await api().deployment.create.mutate({ project, image: images[version]!, ...options });
  return waitUntilActive(created.id);
}

async function waitUntilActive(id: string) {
  return waitFor(
    async () => {
      const view = await api().deployment.get.query({ project, deployment: id });
      if (view.status === 'failed')
        throw new Error(`${id} failed: ${view.error}\n${worker.output().slice(-2000)}`);
      return view.status === 'healthy' && view.active ? view : null;
    },
    { description: `${id} to be healthy and active`, timeoutMs: 120_000, intervalMs: 250 },
  );
}

/** The containers of this run's installation that belong to `deploymentId`. */
async function containersOf(deploymentId: string) {
  return docker.listContainers({
    all: true,
    filters: { label: [`dev.rise.managed-by=test-${runId}`, `dev.rise.deployment=${deploymentId}`] },
  });
}

beforeAll(async () => {
  for (const version of ['v1', 'pr1', 'pr2', 'pr3']) {
    const base = await buildTestAppImage({ tag: `rise-test-groups:${version}`, version, post: true });
    images[version] = await imageForProject(base, project);
  }
  stack = await startRiseStack({
    runId,
    dataDir,
    env: { RISE_MAX_GROUPS_PER_PROJECT: String(MAX_GROUPS) },
  });
  ({ web, caddy, worker } = stack);
  token = await signUpWithToken(web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project, neighbour],
    tokenName: 'deployment groups test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe('deployment groups', () => {
  let firstPreview: string;

  it('serves the default group and group mr/26 at their own hosts, each its own version', async () => {
    const main = await deploy('v1');
    const preview = await deploy('pr1', { group: 'mr/26' });
    firstPreview = preview.id;

    expect(main).toMatchObject({ group: 'default', url: `http://${MAIN_HOST}:${caddy.httpPort}` });
    expect(preview).toMatchObject({ group: 'mr/26', url: `http://${hostOf('mr/26')}:${caddy.httpPort}` });
    expect(await served(MAIN_HOST)).toEqual({ status: 200, body: 'v1' });
    expect(await served(hostOf('mr/26'))).toEqual({ status: 200, body: 'pr1' });
    // The project's status and active deployment are the default group's.
    expect(await api().project.get.query({ project })).toMatchObject({
      activeDeploymentId: main.id,
      previews: 1,
    });
    expect((await api().deployment.list.query({ project })).map((d) => d.id)).toEqual([main.id]);
    expect((await api().deployment.list.query({ project, group: 'mr/26' })).map((d) => d.id)).toEqual([
      preview.id,
    ]);
    expect(await api().deployment.groups.query({ project })).toEqual([
      expect.objectContaining({ group: 'mr/26', activeDeployment: preview.id, status: 'healthy' }),
    ]);
  }, 300_000);

  it('redeploys mr/26 under load without losing a GET or a POST; the default group keeps serving v1', async () => {
    // Clients come through the edge, as under `npm start` and compose (see README, Zero downtime).
    const edge = await startAppsEdge({ host: '127.0.0.1', port: 0, upstreamPort: caddy.httpPort });
    const load = (method: 'GET' | 'POST', host: string) =>
      startVersionLoad({
        method,
        clients: 2,
        keepAlive: true,
        maxMs: 240_000,
        send: (agent) =>
          proxyRequest(
            edge.port,
            method === 'POST'
              ? { host, method: 'POST', path: '/cgi-bin/version', body: 'x'.repeat(256) }
              : { host, path: '/' },
            agent || undefined,
          ),
        versionOf: (body) => body.trim(),
      });
    const loads = [load('GET', hostOf('mr/26')), load('POST', hostOf('mr/26')), load('GET', MAIN_HOST)];
    await deploy('pr2', { group: 'mr/26' });
    await waitFor(async () => loads[0]!.samples.at(-1)?.version === 'pr2', {
      description: 'the preview to answer pr2',
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await Promise.all(loads.map((running) => running.stop()));
    await edge.close();

    const [previewGets, previewPosts, mainGets] = loads.map((running) => running.samples);
    for (const samples of [previewGets!, previewPosts!, mainGets!]) {
      expect(samples.length).toBeGreaterThan(20);
      expect(samples.filter((sample) => sample.failure !== null)).toEqual([]);
    }
    expect(new Set(previewGets!.map((sample) => sample.version))).toEqual(new Set(['pr1', 'pr2']));
    expect(new Set(mainGets!.map((sample) => sample.version))).toEqual(new Set(['v1']));
  }, 300_000);

  it('rolls back inside the group, leaving the default group alone', async () => {
    const rolledBack = await api().deployment.rollback.mutate({ project, group: 'mr/26' });
    expect(rolledBack).toMatchObject({ group: 'mr/26', rolledBackFrom: firstPreview });
    await waitUntilActive(rolledBack.id);
    expect(await served(hostOf('mr/26'))).toEqual({ status: 200, body: 'pr1' });
    expect(await served(MAIN_HOST)).toEqual({ status: 200, body: 'v1' });
  }, 300_000);

  it('stops mr/26: its host no longer answers, its container is gone, the default group keeps serving', async () => {
    const active = (await api().deployment.groups.query({ project }))[0]!.activeDeployment!;
    expect(await api().deployment.stopGroup.mutate({ project, group: 'mr/26' })).toEqual({
      project,
      group: 'mr/26',
      stopped: true,
    });
    await waitFor(
      async () => (await api().deployment.get.query({ project, deployment: active })).status === 'stopped',
      { description: 'the preview to stop', timeoutMs: 60_000, intervalMs: 250 },
    );
    expect((await served(hostOf('mr/26'))).status).toBe(404);
    expect(await containersOf(active)).toEqual([]);
    expect(await api().deployment.groups.query({ project })).toEqual([]);
    expect(await served(MAIN_HOST)).toEqual({ status: 200, body: 'v1' });
    expect((await api().project.get.query({ project })).previews).toBe(0);
  }, 120_000);

  it('expires a preview deployed with --expire 20s: expired, its route and container gone', async () => {
    const preview = await deploy('pr3', { group: 'pr-5', expire: '20s' });
    expect(preview.expiresAt).not.toBeNull();
    expect(await served(hostOf('pr-5'))).toEqual({ status: 200, body: 'pr3' });

    await waitFor(
      async () =>
        (await api().deployment.get.query({ project, deployment: preview.id })).status === 'expired',
      { description: 'the preview to expire', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect((await served(hostOf('pr-5'))).status).toBe(404);
    expect(await containersOf(preview.id)).toEqual([]);
    expect(await served(MAIN_HOST)).toEqual({ status: 200, body: 'v1' });
  }, 180_000);

  it('extends a preview: the new expiry replaces the old one', async () => {
    const created = await deploy('pr1', { group: 'pr-6', expire: '30m' });
    const extended = await api().deployment.extend.mutate({ project, group: 'pr-6', expire: '7d' });
    expect(extended.id).toBe(created.id);
    const week = Date.now() + 7 * 86_400_000;
    expect(Math.abs(extended.expiresAt!.getTime() - week)).toBeLessThan(60_000);
    const groups = await api().deployment.groups.query({ project });
    expect(groups.find((group) => group.group === 'pr-6')?.expiresAt).toEqual(extended.expiresAt);
  }, 180_000);

  it("puts a private project's previews behind its forward-auth too", async () => {
    await api().project.update.mutate({ project, visibility: 'private' });
    const closed = await waitFor(async () => ((await served(hostOf('pr-6'))).status === 401 ? true : null), {
      description: "the preview's route to require sign-in",
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect(closed).toBe(true);
    const member = await getThroughProxy(caddy.httpPort, hostOf('pr-6'), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect({ status: member.status, body: member.body.trim() }).toEqual({ status: 200, body: 'pr1' });
    await api().project.update.mutate({ project, visibility: 'public' });
  }, 120_000);

  it('refuses a group over RISE_MAX_GROUPS_PER_PROJECT, one whose host another project serves, and a project named into a preview host', async () => {
    await expect(
      api().deployment.create.mutate({ project, image: images.pr1!, group: 'taken' }),
    ).rejects.toThrow(
      `Group 'taken' of '${project}' would answer at ${neighbour}.localhost, which another project or group already serves. Pick another group name.`,
    );
    await expect(api().project.create.mutate({ name: `${project}-pr-6` })).rejects.toThrow(
      `A preview of another project already answers at ${hostOf('pr-6')}; choose another name.`,
    );
    const groups = (await api().deployment.groups.query({ project })).length;
    for (let index = groups; index < MAX_GROUPS; index++) {
      await api().deployment.create.mutate({ project, image: images.pr1!, group: `fill-${index}` });
    }
    await expect(
      api().deployment.create.mutate({ project, image: images.pr1!, group: 'one-too-many' }),
    ).rejects.toThrow(
      `Project '${project}' already has ${MAX_GROUPS} deployment groups (RISE_MAX_GROUPS_PER_PROJECT). Stop one first: \`rise d stop ${project} -g <group>\`.`,
    );
  }, 120_000);

  it('refuses a bad group name and a bad expiry with the reason', async () => {
    await expect(
      api().deployment.create.mutate({ project, image: images.pr1!, group: 'MR_26' }),
    ).rejects.toThrow("Group 'MR_26' is not valid");
    await expect(
      api().deployment.create.mutate({ project, image: images.pr1!, group: 'mr--26' }),
    ).rejects.toThrow("'--' is reserved");
    await expect(
      api().deployment.create.mutate({ project, image: images.pr1!, group: 'pr-7', expire: '7 days' }),
    ).rejects.toThrow('Expiry is a number and a unit');
  }, 60_000);
});
