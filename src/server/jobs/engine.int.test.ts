import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { deploymentRepo } from '@/server/domains/deployments/deployment.repo';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { projectRepo } from '@/server/domains/projects/project.repo';
import { CaddyProxy } from '@/server/proxy/caddy-proxy';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import { KubernetesRouter } from '@/server/runtime/kubernetes/kubernetes-router';
import { KubernetesRuntime } from '@/server/runtime/kubernetes/kubernetes-runtime';
import { FakeKubernetesApi } from '../../../test/fake-kubernetes-api';
import { apiAs, createUser, type TestUser, userCaller } from '../../../test/fixtures';
import { handleDeploy } from './definitions/deploy.handler';
import { handleProjectDelete } from './definitions/project-delete.handler';
import { projectDeleteJob } from './definitions/project-delete.job';
import { handleStop } from './definitions/stop.handler';
import { engineDeps } from './engine';
import { PGBOSS_SCHEMA } from './queues';

// The job handlers pick the engine by the project's runtime: a Kubernetes project is deployed,
// stopped and deleted through KubernetesRuntime + KubernetesRouter, reached through the default
// kubeconfig ($KUBECONFIG, here pointing at the fake Kubernetes API server).

const runId = randomBytes(3).toString('hex');
let fake: FakeKubernetesApi;
let dir: string;
let owner: TestUser;
const previousKubeconfig = process.env.KUBECONFIG;

beforeAll(async () => {
  fake = await FakeKubernetesApi.start({ token: `token-${runId}` });
  dir = await mkdtemp(path.join(tmpdir(), 'rise-kubeconfig-'));
  const file = path.join(dir, 'config');
  const options = fake.kubeConfigOptions();
  // A kubeconfig file as kubectl writes it (JSON is YAML).
  await writeFile(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: options.clusters.map(({ name, server }) => ({
        name,
        cluster: { server, 'insecure-skip-tls-verify': true },
      })),
      users: options.users.map(({ name, token }) => ({ name, user: { token } })),
      contexts: options.contexts.map(({ name, cluster, user }) => ({ name, context: { cluster, user } })),
      'current-context': options.currentContext,
    }),
  );
  process.env.KUBECONFIG = file;
  owner = await createUser();
});

afterAll(async () => {
  if (previousKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = previousKubeconfig;
  await fake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
  expect(fake?.rejections).toEqual([]);
});

describe('engine per runtime', () => {
  it('wires Docker to Caddy and Kubernetes to Ingresses, one engine per runtime', () => {
    const docker = engineDeps('docker');
    expect(docker.runtime).toBeInstanceOf(DockerRuntime);
    expect(docker.proxy).toBeInstanceOf(CaddyProxy);
    expect(docker.deleteProject).toBeUndefined();
    expect(engineDeps()).toBe(docker);
    const kubernetes = engineDeps('kubernetes');
    expect(kubernetes.runtime).toBeInstanceOf(KubernetesRuntime);
    expect(kubernetes.proxy).toBeInstanceOf(KubernetesRouter);
    expect(kubernetes.settings.upstreamMode).toBe('network');
    expect(engineDeps('kubernetes')).toBe(kubernetes);
  });

  it('deploys, stops and deletes a Kubernetes project through the job handlers', async () => {
    const name = `je-${runId}`;
    await apiAs(userCaller(owner)).project.create({
      name,
      port: 8080,
      healthPath: '/health',
      runtime: 'kubernetes',
    });
    const project = await getDb().project.update({ where: { name }, data: { desiredState: 'running' } });
    const deployment = await deploymentRepo.create({
      id: newDeploymentId(),
      projectId: project.id,
      status: 'pushed',
      image: `registry.example.com/apps/web@sha256:${'d'.repeat(64)}`,
    });
    const namespace = `rise-${name}`;

    await handleDeploy({ deploymentId: deployment.id, projectId: project.id }, new AbortController().signal);
    expect(await deploymentRepo.findById(deployment.id)).toMatchObject({ status: 'healthy', error: null });
    expect(fake.get('services', namespace, name)?.spec.selector['rise.dev/deployment']).toBe(deployment.id);
    expect(fake.get('ingresses', namespace, name)?.metadata.labels?.['rise.dev/instance']).toBe(
      env.RISE_INSTANCE_ID,
    );
    // The project got no host ports: Kubernetes needs none.
    expect((await projectRepo.findForDeploy(project.id))?.slotPortA).toBeNull();

    await projectRepo.setDesiredState(project.id, 'stopped');
    await handleStop({ projectId: project.id });
    expect(fake.get('ingresses', namespace, name)).toBeUndefined();
    expect(fake.list('deployments', namespace)).toEqual([]);

    await apiAs(userCaller(owner)).project.delete({ project: name });
    const [job] = await getDb().$queryRawUnsafe<{ data: unknown }[]>(
      `SELECT data FROM ${PGBOSS_SCHEMA}.job WHERE name = 'project-delete' AND data->>'projectName' = $1`,
      name,
    );
    await handleProjectDelete(projectDeleteJob.payload.parse(job?.data));
    await fake.waitFor(() => fake.get('namespaces', null, namespace) === undefined);
  });

  it('reads a project-delete job enqueued before the runtime was recorded as a Docker one', () => {
    expect(projectDeleteJob.payload.parse({ projectId: 'p', projectName: 'n' })).toEqual({
      projectId: 'p',
      projectName: 'n',
      runtime: 'docker',
    });
  });
});
