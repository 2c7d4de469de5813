import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { deploymentRepo } from '@/server/domains/deployments/deployment.repo';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { queueGitDeployment } from '@/server/domains/git-builds/queue-git-deployment';
import { gitBuildJob } from '@/server/jobs/definitions/git-build.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import { httpApi } from './api-client';
import { buildBusyboxBaseImage } from './busybox-base-image';
import {
  appDockerfile,
  buildLines,
  connectGitSource,
  createRepository,
  type GitDaemon,
  startGitDaemon,
} from './git-repository';
import { getThroughProxy } from './http-through-proxy';
import { TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';

// Server-side builds from git for real: a git daemon on this machine serves a repository whose
// branches hold a working app, a Dockerfile that fails, a slow build and apps configured by their
// .rise.toml; the worker clones, builds with the shared builders, pushes to Rise's registry and
// deploys; failures and cancels end the deployment with the step and the log tail.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-git-build-'));
const gitRoot = mkdtempSync(join(tmpdir(), 'rise-git-repos-'));
const project = `gitb-${runId}`;
const docker = new Dockerode();
let stack: RiseStack;
let token: string;
let daemon: GitDaemon;
let heads: Record<string, string> = {};

const api = () => httpApi(stack.web.url, { token });

/** A Dockerfile that serves `text` as its index page, whatever `www/` holds. */
const servingDockerfile = (text: string) => `${appDockerfile()}RUN echo "${text}" > /www/index.html\n`;

async function settled(id: string) {
  return waitFor(
    async () => {
      const view = await api().deployment.get.query({ project, deployment: id });
      return ['healthy', 'failed', 'cancelled'].includes(view.status) ? view : null;
    },
    {
      description: `${id} to settle`,
      timeoutMs: 180_000,
      intervalMs: 250,
      context: () => stack.worker.output().slice(-3000),
    },
  );
}

const projectRow = () => getDb().project.findUniqueOrThrow({ where: { name: project } });

beforeAll(async () => {
  await buildBusyboxBaseImage(docker);
  heads = createRepository(gitRoot, 'app', [
    {
      name: 'main',
      files: { Dockerfile: appDockerfile(), 'www/index.html': 'hello from main\n', 'www/health': 'ok\n' },
      message: 'First version\n\nServed by the git-build test.',
    },
    {
      name: 'broken',
      files: { Dockerfile: appDockerfile(['RUN echo about to fail && exit 3']), 'www/index.html': 'never\n' },
      message: 'A build that fails',
    },
    {
      name: 'slow',
      files: {
        Dockerfile: appDockerfile(['RUN echo slow build started && sleep 120']),
        'www/index.html': 'slow\n',
      },
      message: 'A slow build',
    },
    {
      // No Dockerfile where the auto builder would look: .rise.toml names one, in another directory.
      name: 'toml',
      files: {
        '.rise.toml': [
          'project = "some-other-name"',
          '[build]',
          'backend = "dockerfile"',
          'dockerfile = "docker/App.Dockerfile"',
          '',
        ].join('\n'),
        'docker/App.Dockerfile': servingDockerfile('built as .rise.toml says'),
        'Dockerfile.source': servingDockerfile('built with the git source Dockerfile'),
        'www/health': 'ok\n',
      },
      message: 'Configured by .rise.toml',
    },
    {
      name: 'bad-toml',
      files: {
        '.rise.toml': 'project = "some-other-name"\n[build]\nbackend = "sorcery"\n',
        Dockerfile: appDockerfile(),
        'www/index.html': 'never\n',
      },
      message: 'An invalid .rise.toml',
    },
  ]);
  daemon = await startGitDaemon(gitRoot, 'app');
  stack = await startRiseStack({
    runId,
    dataDir,
    env: { RISE_OUTBOUND_ALLOW: `127.0.0.1:${daemon.port}` },
  });
  token = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'git build test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
  const { id: projectId } = await projectRow();
  await connectGitSource(projectId, daemon.url('app'), { hookId: `hook-${runId}` });
}, 300_000);

afterAll(async () => {
  await daemon?.stop();
  await stack?.stop({ images: [project] });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(gitRoot, { recursive: true, force: true });
}, 120_000);

describe('server builds from git', () => {
  it('rise d c --git: clones the branch, builds, pushes, deploys; the URL serves that commit', async () => {
    const created = await api().deployment.create.mutate({ project, git: true });
    expect(created.status).toBe('pending');
    const done = await settled(created.id);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe('healthy');
    const row = await getDb().deployment.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      trigger: 'manual',
      gitRef: 'main',
      commitSha: heads.main,
      commitMessage: 'First version\n\nServed by the git-build test.',
      commitAuthor: 'Ada <ada@example.test>',
      image: `${stack.registryAddress}/${project}:${created.id}`,
    });
    expect(row.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.status).toBe(200);
    expect(response.body).toBe('hello from main\n');
    const lines = await buildLines(created.id);
    expect(lines.some((line) => line.startsWith('Cloning git://127.0.0.1'))).toBe(true);
    expect(lines.some((line) => line.startsWith(`Checked out ${heads.main}`))).toBe(true);
    expect(lines.some((line) => /Step \d+\/\d+ : COPY www \/www/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith(`Pushed ${row.image}`))).toBe(true);
  }, 300_000);

  it('a build error ends failed, naming the step and the last lines of output', async () => {
    const id = await queueGitDeployment(null, await projectRow(), { ref: 'broken' }, { trigger: 'git_push' });
    const done = await settled(id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain("Build failed at step 'build'");
    expect(done.error).toContain('RUN echo about to fail && exit 3');
    expect(done.error).toContain('Last lines:');
    expect(done.error).toContain('about to fail');
    const row = await getDb().deployment.findUniqueOrThrow({ where: { id } });
    expect(row.commitSha).toBe(heads.broken);
    // The project keeps serving the last good build.
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.body).toBe('hello from main\n');
  }, 300_000);

  it('a commit sha is fetched and built exactly; cancel during the build ends cancelled', async () => {
    const id = await queueGitDeployment(
      null,
      await projectRow(),
      { ref: 'slow', sha: heads.slow },
      { trigger: 'git_push' },
    );
    await waitFor(async () => (await buildLines(id)).some((line) => line.includes('slow build started')), {
      description: 'the slow build to run its RUN step',
      timeoutMs: 120_000,
      intervalMs: 250,
      context: () => stack.worker.output().slice(-3000),
    });
    const started = Date.now();
    await api().deployment.cancel.mutate({ project, deployment: id });
    const done = await settled(id);
    expect(done.status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(60_000);
    const row = await getDb().deployment.findUniqueOrThrow({ where: { id } });
    expect(row.commitSha).toBe(heads.slow);
    expect(row.imageDigest).toBeNull();
  }, 300_000);

  it('a deployment a dead worker left `building` is built again from scratch and deployed', async () => {
    const { id: projectId } = await projectRow();
    const id = newDeploymentId();
    // What a worker killed mid-build leaves: the deployment `building`, its job to be retried.
    await inTransaction(async (tx) => {
      await deploymentRepo.create(
        { id, projectId, status: 'building', group: 'default', trigger: 'git_push', gitRef: 'main' },
        tx,
      );
      await enqueue(tx, gitBuildJob, { deploymentId: id, projectId });
    });
    const done = await settled(id);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe('healthy');
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: id } });
    expect(events.map((event) => event.message)).toContain(
      'The build was interrupted while building: building again',
    );
    expect((await getDb().deployment.findUniqueOrThrow({ where: { id } })).commitSha).toBe(heads.main);
    // Every attempt's work directory is removed.
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`rise-build-${id}`))).toEqual([]);
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.body).toBe('hello from main\n');
  }, 300_000);
  it(".rise.toml [build] in the repository's root directory applies to the server build", async () => {
    const id = await queueGitDeployment(null, await projectRow(), { ref: 'toml' }, { trigger: 'git_push' });
    const done = await settled(id);
    expect(done.error ?? null).toBeNull();
    expect(done.status).toBe('healthy');
    expect(await buildLines(id)).toContain('Using [build] of .rise.toml');
    const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
    expect(response.body).toBe('built as .rise.toml says\n');
  }, 300_000);

  it("the git source's own Dockerfile wins over .rise.toml's", async () => {
    const { id: projectId } = await projectRow();
    await getDb().gitSource.update({ where: { projectId }, data: { dockerfile: 'Dockerfile.source' } });
    try {
      const id = await queueGitDeployment(null, await projectRow(), { ref: 'toml' }, { trigger: 'git_push' });
      const done = await settled(id);
      expect(done.error ?? null).toBeNull();
      expect(done.status).toBe('healthy');
      expect(await buildLines(id)).toContain(
        'Using [build] of .rise.toml (the git source sets the Dockerfile)',
      );
      const response = await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`);
      expect(response.body).toBe('built with the git source Dockerfile\n');
    } finally {
      await getDb().gitSource.update({ where: { projectId }, data: { dockerfile: null } });
    }
  }, 300_000);

  it("an invalid .rise.toml fails the build at step 'config' with the schema's message", async () => {
    const id = await queueGitDeployment(
      null,
      await projectRow(),
      { ref: 'bad-toml' },
      { trigger: 'git_push' },
    );
    const done = await settled(id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain(
      'Build failed at step \'config\': .rise.toml:3: build.backend: Invalid option: expected one of "auto"|"dockerfile"',
    );
    const row = await getDb().deployment.findUniqueOrThrow({ where: { id } });
    expect(row.imageDigest).toBeNull();
  }, 300_000);
});
