import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { PGBOSS_SCHEMA } from '@/server/jobs/queues';
import { encryptSecret } from '@/server/security/secret-box';
import { httpApi } from './api-client';
import { uniqueName } from './fixtures';
import { type NextServer, startNextServer } from './next-server';
import { signUpWithToken } from './rise-stack';

// Forge webhooks against the real production server and database: a signed push deploys the tracked
// branch, a replayed delivery does not deploy twice, a bad signature records nothing, pull requests
// open and stop their preview group, and unknown events are recorded as ignored.

const SECRET = randomBytes(24).toString('base64url');
const project = uniqueName('hooks');
let web: NextServer;
let token: string;
let projectId: string;
let hookId: string;

// biome-ignore lint/suspicious/noExplicitAny: samples are edited into variants below
const sample = (name: string): any =>
  JSON.parse(readFileSync(join('src/server/domains/git-hooks/testing/payloads', `${name}.json`), 'utf8'));
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

/** POSTs `payload` as GitHub would: signed unless `signature` says otherwise. */
function github(
  event: string,
  payload: unknown,
  options: { delivery?: string; signature?: string | null } = {},
) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': options.delivery ?? crypto.randomUUID(),
  };
  const signature = options.signature === undefined ? `sha256=${sign(body)}` : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return post(`github/${hookId}`, body, headers);
}

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${web.url}/api/hooks/git/${path}`, { method: 'POST', body, headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const deploymentsOf = () =>
  getDb().deployment.findMany({ where: { projectId }, orderBy: { createdAt: 'asc' } });
const deliveries = () => getDb().webhookDelivery.findMany({ where: { source: { projectId } } });
const jobsNamed = (name: string) =>
  getDb().$queryRawUnsafe<{ data: Record<string, unknown> }[]>(
    `SELECT data FROM ${PGBOSS_SCHEMA}.job WHERE name = $1`,
    name,
  );

beforeAll(async () => {
  web = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
  token = await signUpWithToken(web.url, {
    email: `hooks-${project}@example.test`,
    projects: [project],
    tokenName: 'git webhooks test',
  });
  projectId = (await getDb().project.findUniqueOrThrow({ where: { name: project } })).id;
  hookId = randomBytes(16).toString('base64url');
  await getDb().gitSource.create({
    data: {
      projectId,
      // A self-hosted forge: its host does not say which forge it is, so every forge's hook path is open.
      repositoryUrl: 'https://git.example.test/baxterthehacker/public-repo.git',
      branch: 'main',
      watchPaths: ['docs/**', 'package.json'],
      hookId,
      webhookSecret: encryptSecret(SECRET),
      previewExpiry: '2h',
    },
  });
}, 120_000);

afterAll(() => web?.stop());

describe('git webhooks', () => {
  const pushDelivery = crypto.randomUUID();
  let pushDeploymentId: string;

  it('a signed push to the tracked branch touching the watch paths queues a deployment of its commit', async () => {
    const answer = await github('push', sample('github-push'), { delivery: pushDelivery });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ status: 'accepted', detail: 'Deploying main at 0d1a26e.' });
    pushDeploymentId = answer.body.deploymentId as string;

    const [deployment, ...others] = await deploymentsOf();
    expect(others).toEqual([]);
    expect(deployment).toMatchObject({
      id: pushDeploymentId,
      status: 'pending',
      trigger: 'git_push',
      group: 'default',
      gitRef: 'refs/heads/main',
      commitSha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      commitMessage: 'Update README.md\n\nExplain the setup.',
      commitAuthor: 'baxterthehacker',
      expiresAt: null,
      createdById: null,
    });
    expect((await jobsNamed('git-build')).map((job) => job.data)).toEqual([
      { deploymentId: pushDeploymentId, projectId },
    ]);
    expect(await deliveries()).toEqual([
      expect.objectContaining({
        provider: 'github',
        deliveryId: pushDelivery,
        event: 'push',
        status: 'accepted',
        deploymentId: pushDeploymentId,
      }),
    ]);
  });

  it('the same delivery again is a duplicate: no second deployment', async () => {
    const answer = await github('push', sample('github-push'), { delivery: pushDelivery });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('duplicate');
    expect((await deploymentsOf()).length).toBe(1);
    expect((await deliveries()).length).toBe(1);
  });

  it('a wrong or missing signature is 401 and records nothing', async () => {
    const before = { deployments: (await deploymentsOf()).length, deliveries: (await deliveries()).length };
    const wrong = await github('push', sample('github-push'), { signature: `sha256=${sign('other body')}` });
    const missing = await github('push', sample('github-push'), { signature: null });
    const otherSecret = await post(`gitea/${hookId}`, JSON.stringify(sample('gitea-push')), {
      'x-gitea-event': 'push',
      'x-gitea-delivery': crypto.randomUUID(),
      'x-gitea-signature': createHmac('sha256', 'not the secret').update('{}').digest('hex'),
    });
    for (const answer of [wrong, missing, otherSecret]) {
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatch(/Invalid or missing (github|gitea) webhook signature/);
    }
    expect((await deploymentsOf()).length).toBe(before.deployments);
    expect((await deliveries()).length).toBe(before.deliveries);
  });

  it('an unknown hook or forge is a bare 404', async () => {
    const unknownHook = await post('github/not-a-hook', '{}', { 'x-github-event': 'push' });
    const unknownForge = await post(`sourcehut/${hookId}`, '{}', {});
    expect(unknownHook).toEqual({ status: 404, body: { error: 'No such webhook.' } });
    expect(unknownForge).toEqual({ status: 404, body: { error: 'No such webhook.' } });
  });

  it('a source whose provider is set answers only at that forge’s path', async () => {
    await getDb().gitSource.update({ where: { hookId }, data: { provider: 'github' } });
    try {
      const asGitlab = await post(`gitlab/${hookId}`, '{}', { 'x-gitlab-token': SECRET });
      expect(asGitlab).toEqual({ status: 404, body: { error: 'No such webhook.' } });
    } finally {
      await getDb().gitSource.update({ where: { hookId }, data: { provider: null } });
    }
  });

  it('pushes to another branch, or outside the watch paths, are recorded as ignored', async () => {
    const otherBranch = await github('push', { ...sample('github-push'), ref: 'refs/heads/feature' });
    const unwatched = sample('github-push');
    for (const commit of [...unwatched.commits, unwatched.head_commit]) {
      Object.assign(commit, { added: [], removed: [], modified: ['README.md'] });
    }
    const outside = await github('push', unwatched);
    expect(otherBranch).toEqual({
      status: 202,
      body: {
        status: 'ignored',
        detail: 'Push to refs/heads/feature; the project deploys branch main.',
        deploymentId: null,
      },
    });
    expect(outside).toMatchObject({ status: 202, body: { status: 'ignored' } });
    expect(outside.body.detail).toContain('No changed file matches the watch paths (docs/**, package.json)');
    expect((await deploymentsOf()).length).toBe(1);
  });

  let previewId: string;

  it('a pull request opened deploys preview group pr-<n>, expiring after the source’s preview expiry', async () => {
    const before = Date.now();
    const answer = await github('pull_request', sample('github-pull-request-opened'));
    expect(answer).toMatchObject({ status: 202, body: { status: 'accepted' } });
    previewId = answer.body.deploymentId as string;

    const preview = await getDb().deployment.findUniqueOrThrow({ where: { id: previewId } });
    expect(preview).toMatchObject({
      status: 'pending',
      trigger: 'pull_request',
      group: 'pr-1',
      gitRef: 'refs/pull/1/head',
      commitSha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      commitMessage: 'Update the README with new information',
      commitAuthor: 'baxterthehacker',
    });
    const expiresIn = preview.expiresAt!.getTime() - before;
    expect(expiresIn).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(expiresIn).toBeLessThan(2 * 3600_000 + 60_000);
    expect(await getDb().deploymentGroup.findMany({ where: { projectId }, select: { name: true } })).toEqual([
      { name: 'pr-1' },
    ]);
    expect((await jobsNamed('expire')).map((job) => job.data)).toEqual([{ deploymentId: previewId }]);
  });

  it('a pull request closed (merged) stops its group: the queued build is cancelled, a stop job queued', async () => {
    const closed = { ...sample('github-pull-request-opened'), action: 'closed' };
    closed.pull_request.merged = true;
    const answer = await github('pull_request', closed);
    expect(answer).toEqual({
      status: 202,
      body: { status: 'accepted', detail: 'Stopping preview pr-1.', deploymentId: null },
    });
    expect(await getDb().deployment.findUniqueOrThrow({ where: { id: previewId } })).toMatchObject({
      status: 'cancelled',
    });
    expect((await jobsNamed('stop')).map((job) => job.data)).toEqual([{ projectId, group: 'pr-1' }]);
    expect(
      await getDb().auditEvent.findFirst({ where: { action: 'deployment.group.stop', projectId } }),
    ).toMatchObject({ actorType: 'system', details: { group: 'pr-1', trigger: 'pull_request' } });
  });

  it('an event Rise does not act on is 202 and recorded as ignored', async () => {
    const delivery = crypto.randomUUID();
    const answer = await github('issues', { action: 'opened', issue: { number: 3 } }, { delivery });
    expect(answer).toEqual({
      status: 202,
      body: { status: 'ignored', detail: 'Not acted on: event issues.', deploymentId: null },
    });
    expect(await getDb().webhookDelivery.findFirst({ where: { deliveryId: delivery } })).toMatchObject({
      event: 'issues',
      status: 'ignored',
      deploymentId: null,
    });
  });

  it('GitLab: the secret token header, a Push Hook deploys', async () => {
    const payload = sample('gitlab-push');
    payload.commits[1].added = ['docs/gitlab.md'];
    const answer = await post(`gitlab/${hookId}`, JSON.stringify(payload), {
      'content-type': 'application/json',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-event-uuid': crypto.randomUUID(),
      'x-gitlab-token': SECRET,
    });
    expect(answer).toMatchObject({ status: 202, body: { status: 'accepted' } });
    expect(
      await getDb().deployment.findUniqueOrThrow({ where: { id: answer.body.deploymentId as string } }),
    ).toMatchObject({ trigger: 'git_push', commitSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7' });
  });

  it('lists deliveries newest first, and redelivers one as the calling user', async () => {
    const api = httpApi(web.url, { token });
    const listed = await api.gitHooks.deliveries.query({ project });
    expect(listed.length).toBe(7);
    expect(listed.at(-1)).toMatchObject({ deliveryId: pushDelivery, status: 'accepted' });
    expect(listed[0]).toMatchObject({ provider: 'gitlab', event: 'Push Hook', status: 'accepted' });
    const times = listed.map((delivery) => delivery.receivedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const redone = await api.gitHooks.redeliver.mutate({ project, delivery: listed.at(-1)!.id });
    expect(redone).toMatchObject({ deliveryId: pushDelivery, status: 'accepted' });
    expect(redone.deploymentId).not.toBe(pushDeploymentId);
    expect(await getDb().deployment.findUniqueOrThrow({ where: { id: redone.deploymentId! } })).toMatchObject(
      {
        trigger: 'git_push',
        commitSha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
        createdById: expect.any(String),
      },
    );
  });

  it('too many deliveries to one hook from one address: 429 with Retry-After', async () => {
    const flooded = `flood-${randomBytes(6).toString('hex')}`;
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const response = await fetch(`${web.url}/api/hooks/git/github/${flooded}`, {
        method: 'POST',
        body: '{}',
      });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 60).every((status) => status === 404)).toBe(true);
    expect(statuses[60]).toBe(429);
  });

  it('a body over 5 MiB is refused with 413 and records nothing, whether its length is declared or streamed', async () => {
    const before = { deployments: (await deploymentsOf()).length, deliveries: (await deliveries()).length };
    // A signed push padded past the limit: refused for its size, not its signature.
    const padded = JSON.stringify({ ...sample('github-push'), padding: 'x'.repeat(5 * 1024 * 1024) });
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${sign(padded)}`,
    };
    const declared = await fetch(`${web.url}/api/hooks/git/github/${hookId}`, {
      method: 'POST',
      body: padded,
      headers: { ...headers, 'x-github-delivery': crypto.randomUUID() },
    });
    const bytes = new TextEncoder().encode(padded);
    const chunked = await fetch(`${web.url}/api/hooks/git/github/${hookId}`, {
      method: 'POST',
      // No Content-Length: sent chunked, counted while read.
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += 64 * 1024)
            controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
          controller.close();
        },
      }),
      headers: { ...headers, 'x-github-delivery': crypto.randomUUID() },
      duplex: 'half',
    } as RequestInit);
    for (const response of [declared, chunked]) {
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error:
          'The request body is over 5 MiB. Rise reads git webhook deliveries up to that size; push and pull request payloads are far smaller.',
      });
    }
    expect((await deploymentsOf()).length).toBe(before.deployments);
    expect((await deliveries()).length).toBe(before.deliveries);
  });
});
