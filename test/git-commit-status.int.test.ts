import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { queueGitStatus, queueMissedGitStatuses } from '@/server/domains/git-status/git-status-queue';
import { type ForgeRecorder, startForgeRecorder } from '@/server/domains/git-status/testing/forge-recorder';
import { PGBOSS_SCHEMA } from '@/server/jobs/queues';
import { encryptSecret } from '@/server/security/secret-box';
import { httpApi } from './api-client';
import { buildBusyboxBaseImage } from './busybox-base-image';
import { appDockerfile, type GitDaemon, git, startGitDaemon } from './git-repository';
import { getThroughProxy } from './http-through-proxy';
import { TEST_APP_PORT } from './images';
import { type RiseStack, signUpWithToken, startRiseStack } from './rise-stack';
import { waitFor } from './wait';

// Commit statuses for real: signed GitHub webhooks reach the production server, the worker builds from a
// git daemon, deploys behind Caddy, and reports to a recorder standing in for GitHub Enterprise (the
// source's API URL): pending then success with the URL, failure for a failed build, one pull request
// comment with the preview URL that later pushes edit; without a token, nothing is sent.

const runId = Math.random().toString(16).slice(2, 10);
const dataDir = mkdtempSync(join(tmpdir(), 'rise-git-status-'));
const gitRoot = mkdtempSync(join(tmpdir(), 'rise-git-status-repos-'));
const project = `gits-${runId}`;
const SECRET = randomBytes(24).toString('base64url');
const TOKEN = `ghp_${randomBytes(12).toString('hex')}`;
const hookId = randomBytes(16).toString('base64url');
const docker = new Dockerode();
let stack: RiseStack;
let apiToken: string;
let daemon: GitDaemon | undefined;
let recorder: ForgeRecorder;
let bare: string;
const heads: Record<string, string> = {};

const api = () => httpApi(stack.web.url, { token: apiToken });

function commitBranch(work: string, branch: string, files: Record<string, string>, message: string) {
  git(work, 'checkout', '--quiet', '--orphan', branch);
  git(work, 'rm', '-rf', '--quiet', '--ignore-unmatch', '.');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(work, name, '..'), { recursive: true });
    writeFileSync(join(work, name), content);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '--quiet', '-m', message);
  heads[branch] = git(work, 'rev-parse', 'HEAD');
}

const app = (text: string) => ({
  Dockerfile: appDockerfile(),
  'www/index.html': `${text}\n`,
  'www/health': 'ok\n',
});

// biome-ignore lint/suspicious/noExplicitAny: samples are edited into variants below
const sample = (name: string): any =>
  JSON.parse(readFileSync(join('src/server/domains/git-hooks/testing/payloads', `${name}.json`), 'utf8'));

/** Delivers a GitHub event, signed as GitHub signs it; returns the deployment it queued. */
async function deliver(event: string, payload: unknown): Promise<string> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${stack.web.url}/api/hooks/git/github/${hookId}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
  });
  const answer = (await response.json()) as { status: string; deploymentId?: string; detail?: string };
  expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'accepted' });
  return answer.deploymentId!;
}

function push(sha: string) {
  const payload = sample('github-push');
  payload.ref = 'refs/heads/main';
  payload.after = sha;
  payload.head_commit.id = sha;
  return deliver('push', payload);
}

function pullRequest(action: 'opened' | 'synchronize', number: number, sha: string) {
  const payload = sample('github-pull-request-opened');
  payload.action = action;
  payload.number = number;
  payload.pull_request.number = number;
  payload.pull_request.head.sha = sha;
  return deliver('pull_request', payload);
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

const statusPath = (sha: string) => `/api/v3/repos/acme/shop/statuses/${sha}`;
const statusesOf = (sha: string) => recorder.requests.filter((request) => request.path === statusPath(sha));
const statesOf = (sha: string) => statusesOf(sha).map((request) => (request.body as { state: string }).state);
const comments = () => recorder.requests.filter((request) => request.path.includes('/issues/'));

/** Waits until every git-status job of `deploymentId` has finished. */
async function jobsDone(deploymentId: string) {
  await waitFor(
    async () => {
      const jobs = await getDb().$queryRawUnsafe<{ state: string }[]>(
        `SELECT state FROM ${PGBOSS_SCHEMA}.job WHERE name = 'git-status' AND data->>'deploymentId' = $1`,
        deploymentId,
      );
      return jobs.length > 0 && jobs.every((job) => job.state === 'completed');
    },
    {
      description: `the git-status jobs of ${deploymentId} to finish`,
      timeoutMs: 30_000,
      intervalMs: 200,
      context: () => stack.worker.output().slice(-3000),
    },
  );
}

beforeAll(async () => {
  await buildBusyboxBaseImage(docker);
  recorder = await startForgeRecorder();
  const work = join(gitRoot, 'work');
  mkdirSync(work);
  git(work, 'init', '--quiet', '-b', 'main');
  commitBranch(work, 'main', app('hello from main'), 'First version');
  commitBranch(
    work,
    'broken',
    { Dockerfile: appDockerfile(['RUN echo about to fail && exit 3']), 'www/index.html': 'never\n' },
    'A build that fails',
  );
  commitBranch(work, 'feature', app('pull request, first push'), 'Try a feature');
  commitBranch(work, 'feature2', app('pull request, second push'), 'Polish the feature');
  commitBranch(work, 'manual', app('built by rise d c --git'), 'Deployed by hand');
  commitBranch(work, 'rejected', app('the forge refuses the token'), 'Token revoked');
  commitBranch(work, 'untokened', app('deployed without a token'), 'No token');
  mkdirSync(join(gitRoot, 'acme'));
  git(gitRoot, 'clone', '--quiet', '--bare', work, join('acme', 'shop.git'));
  bare = join(gitRoot, 'acme', 'shop.git');
  daemon = await startGitDaemon(gitRoot, 'acme/shop');
  const gitPort = daemon.port;
  stack = await startRiseStack({
    runId,
    dataDir,
    env: { RISE_OUTBOUND_ALLOW: `127.0.0.1:${gitPort},127.0.0.1:${recorder.port}` },
  });
  apiToken = await signUpWithToken(stack.web.url, {
    email: `dev-${runId}@example.test`,
    projects: [project],
    tokenName: 'git status test',
  });
  await api().project.update.mutate({ project, port: TEST_APP_PORT, healthPath: '/health' });
  const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
  await getDb().gitSource.create({
    data: {
      projectId,
      repositoryUrl: daemon.url('acme/shop'),
      branch: 'main',
      provider: 'github',
      hookId,
      webhookSecret: encryptSecret(SECRET),
    },
  });
  // The token and the API URL as a user sets them: through the API (validated, the token sealed).
  await api().gitSource.set.mutate({ project, accessToken: TOKEN, apiUrl: `${recorder.url}/api/v3/` });
}, 300_000);

afterAll(async () => {
  await daemon?.stop();
  await stack?.stop({ images: [project] });
  await recorder?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(gitRoot, { recursive: true, force: true });
}, 120_000);

describe('commit statuses on the forge', () => {
  it('the source keeps its API URL (trailing / dropped) and shows it; the token only as set', async () => {
    expect(await api().gitSource.get.query({ project })).toMatchObject({
      apiUrl: `${recorder.url}/api/v3`,
      accessTokenSet: true,
    });
    await expect(api().gitSource.set.mutate({ project, apiUrl: 'ftp://example.test' })).rejects.toThrow(
      'The API URL must start with https://',
    );
  });

  it('a push: pending while it builds, then success with the deployment URL; a replay posts nothing', async () => {
    const id = await push(heads.main!);
    const done = await settled(id);
    expect(done.status).toBe('healthy');
    await waitFor(async () => statesOf(heads.main!).includes('success'), {
      description: 'the success status',
      timeoutMs: 30_000,
      intervalMs: 200,
      context: () => stack.worker.output().slice(-3000),
    });
    expect(statesOf(heads.main!)).toEqual(['pending', 'success']);
    const [pending, success] = statusesOf(heads.main!);
    expect(pending).toMatchObject({
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: {
        state: 'pending',
        target_url: `${stack.web.url}/projects/${project}`,
        context: `rise/${project}`,
      },
    });
    expect(success).toMatchObject({
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: {
        state: 'success',
        target_url: done.url,
        description: 'Deployed by Rise',
        context: `rise/${project}`,
      },
    });
    expect((await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`)).body).toBe(
      'hello from main\n',
    );

    // Replayed (a second worker's notification, a retried job): the forge already has it.
    await queueGitStatus(id, 'success');
    await queueGitStatus(id, 'pending');
    await jobsDone(id);
    expect(statesOf(heads.main!)).toEqual(['pending', 'success']);
    const events = await getDb().deploymentEvent.findMany({ where: { deploymentId: id } });
    expect(events.map((event) => event.message)).toContain(
      `Reported success for ${heads.main!.slice(0, 7)} to github`,
    );
    expect(events.some((event) => event.message.includes(TOKEN))).toBe(false);
  }, 300_000);

  it('a build that fails reports failure', async () => {
    const id = await push(heads.broken!);
    expect((await settled(id)).status).toBe('failed');
    await waitFor(async () => statesOf(heads.broken!).includes('failure'), {
      description: 'the failure status',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(statesOf(heads.broken!)).toEqual(['pending', 'failure']);
    expect(statusesOf(heads.broken!)[1]!.body).toMatchObject({
      description: 'The deployment failed',
      target_url: `${stack.web.url}/projects/${project}`,
    });
  }, 300_000);

  it("a pull request's preview gets one comment with its URL; the next push edits that comment", async () => {
    git(bare, 'update-ref', 'refs/pull/7/head', heads.feature!);
    const first = await settled(await pullRequest('opened', 7, heads.feature!));
    expect(first.status).toBe('healthy');
    expect(first.group).toBe('pr-7');
    await waitFor(async () => comments().length === 1, {
      description: 'the pull request comment',
      timeoutMs: 30_000,
      intervalMs: 200,
      context: () => stack.worker.output().slice(-3000),
    });
    expect(statesOf(heads.feature!)).toEqual(['pending', 'success']);
    expect((statusesOf(heads.feature!)[1]!.body as { target_url: string }).target_url).toBe(first.url);
    const [created] = comments();
    expect(created).toMatchObject({
      method: 'POST',
      path: '/api/v3/repos/acme/shop/issues/7/comments',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect((created!.body as { body: string }).body).toContain(first.url);
    expect((created!.body as { body: string }).body).toContain(heads.feature!.slice(0, 7));
    const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
    const stored = await getDb().gitPullRequestComment.findUniqueOrThrow({
      where: { projectId_number: { projectId, number: 7 } },
    });

    git(bare, 'update-ref', 'refs/pull/7/head', heads.feature2!);
    const second = await settled(await pullRequest('synchronize', 7, heads.feature2!));
    expect(second.status).toBe('healthy');
    await waitFor(async () => comments().length === 2, {
      description: 'the edit of the comment',
      timeoutMs: 30_000,
      intervalMs: 200,
      context: () => stack.worker.output().slice(-3000),
    });
    const [, edited] = comments();
    expect(edited).toMatchObject({
      method: 'PATCH',
      path: `/api/v3/repos/acme/shop/issues/comments/${stored.commentId}`,
    });
    expect((edited!.body as { body: string }).body).toContain(second.url);
    expect((edited!.body as { body: string }).body).toContain(heads.feature2!.slice(0, 7));
    expect(comments().filter((request) => request.method === 'POST').length).toBe(1);
    expect((await getThroughProxy(stack.caddy.httpPort, new URL(second.url).hostname)).body).toBe(
      'pull request, second push\n',
    );
  }, 300_000);

  it('rise d c --git (the commit known only once cloned) reports too', async () => {
    git(bare, 'update-ref', 'refs/heads/main', heads.manual!);
    const created = await api().deployment.create.mutate({ project, git: true });
    expect((await settled(created.id)).status).toBe('healthy');
    await waitFor(async () => statesOf(heads.manual!).includes('success'), {
      description: 'the success status of the manual build',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect(statesOf(heads.manual!)).toEqual(['pending', 'success']);
  }, 300_000);

  it('a forge that refuses the report leaves the deployment alone: a warning event, without the token', async () => {
    // GitHub answers 401 (a revoked token) to both reports: not worth a retry.
    recorder.failNext(401, 401);
    const id = await push(heads.rejected!);
    expect((await settled(id)).status).toBe('healthy');
    await waitFor(async () => statesOf(heads.rejected!).length === 2, {
      description: 'both reports to be tried',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    await jobsDone(id);
    expect(statesOf(heads.rejected!)).toEqual(['pending', 'success']);
    const warnings = (
      await getDb().deploymentEvent.findMany({
        where: { deploymentId: id, level: 'warn' },
        orderBy: { id: 'asc' },
      })
    ).map((event) => event.message);
    expect(warnings).toEqual([
      `Could not set the commit status to pending on github: POST ${recorder.url}${statusPath(heads.rejected!)} answered 401: failing on purpose (401)`,
      `Could not set the commit status to success on github: POST ${recorder.url}${statusPath(heads.rejected!)} answered 401: failing on purpose (401)`,
    ]);
    expect(warnings.some((message) => message.includes(TOKEN))).toBe(false);
    expect(await getDb().gitCommitStatus.findUnique({ where: { deploymentId: id } })).toBeNull();
    expect((await getThroughProxy(stack.caddy.httpPort, `${project}.localhost`)).body).toBe(
      'the forge refuses the token\n',
    );

    // A (re)started worker looks for what the forge was not told: the token works again by now.
    expect(await queueMissedGitStatuses(new Date(Date.now() - 120_000))).toBe(1);
    await jobsDone(id);
    expect(statesOf(heads.rejected!)).toEqual(['pending', 'success', 'success']);
    expect((await getDb().gitCommitStatus.findUniqueOrThrow({ where: { deploymentId: id } })).state).toBe(
      'success',
    );
  }, 300_000);

  it('without an access token nothing is sent to the forge', async () => {
    await api().gitSource.set.mutate({ project, accessToken: null });
    const before = recorder.requests.length;
    const id = await push(heads.untokened!);
    expect((await settled(id)).status).toBe('healthy');
    // Even a report queued by hand finds no token and sends nothing.
    await queueGitStatus(id, 'success');
    await jobsDone(id);
    expect(recorder.requests.length).toBe(before);
    expect(statusesOf(heads.untokened!)).toEqual([]);
  }, 300_000);
});
