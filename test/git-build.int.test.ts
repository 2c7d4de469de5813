import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
import { freePort } from '@/server/platform/free-port';
import { encryptSecret } from '@/server/security/secret-box';
import { inTransaction } from '@/server/transaction';
import { httpApi } from './api-client';
import { buildBusyboxBaseImage, TEST_BUSYBOX_BASE_IMAGE } from './busybox-base-image';
import { getThroughProxy } from './http-through-proxy';
import { TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';

// Server-side builds from git for real: a git daemon on this machine serves a repository whose
// branches hold a working app, a Dockerfile that fails, and a slow build; the worker clones, builds
// with the shared builders, pushes to Rise's registry and deploys; failures and cancels end the
// deployment with the step and the log tail.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-git-build-'));
const gitRoot = mkdtempSync(join(tmpdir(), 'rise-git-repos-'));
const project = `gitb-${runId}`;
const docker = new Dockerode();
let stack: RiseStack;
let token: string;
let daemon: ChildProcess;
let gitPort: number;
const heads: Record<string, string> = {};

const api = () => httpApi(stack.web.url, { token });
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.test',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.test',
    },
  }).trim();

const APP_DOCKERFILE = (extra: string[] = []) =>
  [
    `FROM ${TEST_BUSYBOX_BASE_IMAGE}`,
    'LABEL rise.test=1',
    ...extra,
    'COPY www /www',
    `EXPOSE ${TEST_APP_PORT}`,
    `CMD ["/bin/busybox", "httpd", "-f", "-p", "${TEST_APP_PORT}", "-h", "/www"]`,
    '',
  ].join('\n');

/** Commits `files` (under app/, the source's root directory) on a new branch `branch` of the work tree. */
function commitBranch(work: string, branch: string, files: Record<string, string>, message: string) {
  git(work, 'checkout', '--quiet', '--orphan', branch);
  git(work, 'rm', '-rf', '--quiet', '--ignore-unmatch', '.');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(work, 'app', name, '..'), { recursive: true });
    writeFileSync(join(work, 'app', name), content);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', message);
  heads[branch] = git(work, 'rev-parse', 'HEAD');
}

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

const buildLines = async (id: string) =>
  (
    await getDb().deploymentEvent.findMany({
      where: { deploymentId: id, level: 'build' },
      orderBy: { createdAt: 'asc' },
    })
  ).map((event) => event.message);

const projectRow = () => getDb().project.findUniqueOrThrow({ where: { name: project } });

beforeAll(async () => {
  await buildBusyboxBaseImage(docker);
  const work = join(gitRoot, 'work');
  mkdirSync(work);
  git(work, 'init', '--quiet', '-b', 'main');
  commitBranch(
    work,
    'main',
    { Dockerfile: APP_DOCKERFILE(), 'www/index.html': 'hello from main\n', 'www/health': 'ok\n' },
    'First version\n\nServed by the git-build test.',
  );
  commitBranch(
    work,
    'broken',
    { Dockerfile: APP_DOCKERFILE(['RUN echo about to fail && exit 3']), 'www/index.html': 'never\n' },
    'A build that fails',
  );
  commitBranch(
    work,
    'slow',
    { Dockerfile: APP_DOCKERFILE(['RUN echo slow build started && sleep 120']), 'www/index.html': 'slow\n' },
    'A slow build',
  );
  git(gitRoot, 'clone', '--quiet', '--bare', work, 'app.git');
  gitPort = await freePort();
  daemon = spawn(
    'git',
    [
      'daemon',
      '--export-all',
      `--base-path=${gitRoot}`,
      `--port=${gitPort}`,
      '--listen=127.0.0.1',
      '--reuseaddr',
      gitRoot,
    ],
    { stdio: 'ignore' },
  );
  await waitFor(
    async () => {
      try {
        return git(gitRoot, 'ls-remote', `git://127.0.0.1:${gitPort}/app.git`, 'main').length > 0;
      } catch {
        return false;
      }
    },
    { description: 'the git daemon to serve', timeoutMs: 20_000, intervalMs: 200 },
  );
  stack = await startRiseStack({
    runId,
    dataDir,
    env: { RISE_OUTBOUND_ALLOW: `127.0.0.1:${gitPort}` },
  });
  token = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'git build test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
  const { id: projectId } = await projectRow();
  await getDb().gitSource.create({
    data: {
      projectId,
      repositoryUrl: `git://127.0.0.1:${gitPort}/app.git`,
      branch: 'main',
      rootDirectory: 'app',
      hookId: `hook-${runId}`,
      webhookSecret: encryptSecret('unused'),
    },
  });
}, 300_000);

afterAll(async () => {
  daemon?.kill();
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
});
