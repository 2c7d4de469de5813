import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import type { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import { FakeKubernetesApi, type KubeObject } from '../../../../test/fake-kubernetes-api';
import { apiAs, createUser, type TestUser, userCaller } from '../../../../test/fixtures';
import { RELEASE_DONE } from './deploy-command';
import { deploymentRepo } from './deployment.repo';
import { newDeploymentId } from './deployment-id';
import type { EngineDeps } from './engine-deps';
import { runDeployment } from './run-deployment';
import { digestOf, kubernetesEngineDeps } from './testing/kubernetes-engine-deps';

// Release commands on Kubernetes: the deploy engine and PostgreSQL for real, the Kubernetes runtime
// against the fake API server (test/fake-kubernetes-api.ts), which validates every object written,
// runs a Job's pod to its end and records the order of writes and of Jobs ending.

const runId = randomBytes(3).toString('hex');
const _BASE = 'apps.example.com';
const REGISTRY = 'registry.example.com';
let fake: FakeKubernetesApi;
let runtime: KubernetesRuntime;
let deps: EngineDeps;
let owner: TestUser;
/** The release's pod: what it prints and its exit code, by the command it was given. */
const jobRuns: KubeObject[] = [];

const api = () => apiAs(userCaller(owner));

beforeAll(async () => {
  fake = await FakeKubernetesApi.start({
    token: `token-${runId}`,
    readyAfterMs: 60,
    jobRun: (pod) => {
      jobRuns.push(pod);
      const script = String(pod.spec.containers[0].command.at(-1));
      return script.includes('exit 1')
        ? { logs: ['migration 7 failed: column exists'], exitCode: 1 }
        : { logs: ['migrated to schema 7'], exitCode: 0 };
    },
  });
  ({ deps, runtime } = kubernetesEngineDeps(fake, runId));
  owner = await createUser();
});

afterAll(async () => {
  await fake?.stop();
  // Every object Rise wrote was valid for the Kubernetes schemas and the API server's checks.
  expect(fake?.rejections).toEqual([]);
});

async function deploy(projectId: string, image: string) {
  const deployment = await deploymentRepo.create({
    id: newDeploymentId(),
    projectId,
    status: 'pushed',
    image,
  });
  await runDeployment(deps, deployment.id);
  const events = await getDb().deploymentEvent.findMany({
    where: { deploymentId: deployment.id },
    orderBy: { id: 'asc' },
  });
  return { row: (await deploymentRepo.findById(deployment.id))!, messages: events.map((e) => e.message) };
}

const selectorOf = (service: KubeObject | undefined) => service?.spec?.selector?.['rise.dev/deployment'];

describe('a release command on Kubernetes', () => {
  it('runs as a Job of the new image with the env, awaited before the Service switch; a failure fails the deployment', async () => {
    const name = `kr-${runId}`;
    await api().project.create({ name, port: 8080, healthPath: '/health', runtime: 'kubernetes' });
    const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
    await api().env.set({
      project: name,
      vars: [{ key: 'DATABASE_URL', value: 'postgres://app:pw@db/app', secret: true }],
    });
    const namespace = runtime.namespaceFor(name);
    const v1 = await deploy(project.id, `${REGISTRY}/apps/web:v1`);
    expect(v1.row.status).toBe('healthy');

    await api().project.update({ project: name, releaseCommand: 'npm run migrate' });
    const historyStart = fake.history.length;
    const v2 = await deploy(project.id, `${REGISTRY}/apps/web:v2`);

    expect(v2.row.status, v2.messages.join('\n')).toBe('healthy');
    // The Job's pod: the new image pinned, the command instead of ENTRYPOINT/CMD, the env from its Secret.
    const [pod] = jobRuns;
    const container = pod?.spec.containers[0];
    expect(container.image).toBe(`${REGISTRY}/apps/web@${digestOf(`${REGISTRY}/apps/web:v2`)}`);
    expect(container.command).toEqual(['/bin/sh', '-c', 'npm run migrate']);
    expect(container.args).toBeUndefined();
    expect(pod?.spec.restartPolicy).toBe('Never');
    const secretName = container.envFrom[0].secretRef.name;
    const jobName = `${name}-${v2.row.id}-release`;
    expect(secretName).toBe(`${jobName}-env`);
    const events = fake.history.slice(historyStart);
    const at = (predicate: (event: string) => boolean) => events.findIndex((entry) => predicate(entry.event));
    const secretWritten = events.find(
      (entry) =>
        entry.event === `POST /api/v1/namespaces/${namespace}/secrets` &&
        JSON.stringify(entry.body).includes(secretName),
    );
    const data = (secretWritten?.body as { data?: Record<string, string> } | undefined)?.data ?? {};
    expect(Buffer.from(data.DATABASE_URL ?? '', 'base64').toString()).toBe('postgres://app:pw@db/app');
    const created = at((event) => event === `POST /apis/batch/v1/namespaces/${namespace}/jobs`);
    const completed = at((event) => event === `COMPLETE ${namespace}/${jobName}`);
    const started = at((event) => event === `POST /apis/apps/v1/namespaces/${namespace}/deployments`);
    const switched = at((event) => event === `PATCH /api/v1/namespaces/${namespace}/services/${name}`);
    const jobDeleted = at(
      (event) => event === `DELETE /apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`,
    );
    expect(
      [created, completed, started, switched, jobDeleted].every((index) => index >= 0),
      events.map((e) => e.event).join('\n'),
    ).toBe(true);
    expect(created < completed && completed < jobDeleted && jobDeleted < started && started < switched).toBe(
      true,
    );
    expect(v2.messages).toContain('release: migrated to schema 7');
    expect(v2.messages.indexOf(RELEASE_DONE)).toBeLessThan(
      v2.messages.findIndex((m) => m.startsWith('Starting ')),
    );
    // Job, its pod and its Secret are gone.
    expect(fake.list('jobs', namespace)).toEqual([]);
    expect(fake.list('pods', namespace, { 'rise.dev/one-off': `${v2.row.id}-release` })).toEqual([]);
    expect(fake.get('secrets', namespace, secretName)).toBeUndefined();

    // A release that exits 1: the deployment fails, the Service keeps selecting v2, no v3 Deployment.
    await api().project.update({ project: name, releaseCommand: 'npm run migrate || exit 1' });
    const v3 = await deploy(project.id, `${REGISTRY}/apps/web:v3`);
    expect(v3.row.status).toBe('failed');
    expect(v3.row.error).toBe(
      'the release command "npm run migrate || exit 1" exited with code 1. The previous version keeps serving.',
    );
    expect(v3.messages).toContain('release: migration 7 failed: column exists');
    expect(selectorOf(fake.get('services', namespace, name))).toBe(v2.row.id);
    expect(fake.list('deployments', namespace).map((d) => d.metadata.name)).toEqual([`${name}-${v2.row.id}`]);
    expect(fake.list('jobs', namespace)).toEqual([]);
  });
});
