import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundGuard } from '@/server/security/outbound-guard';
import { guardedForgeHttp } from '../forge-http';
import { forgeLocation } from '../forge-repository';
import { type CommitStatus, ForgeHttpError, ForgeRefusedError } from '../forge-status-client';
import { type ForgeRecorder, startForgeRecorder } from '../testing/forge-recorder';
import { forgeStatusClients } from '.';

// Each forge's client against a recorder on 127.0.0.1 (allowed through a real outbound guard): the
// method, path, auth header and body each forge documents for commit statuses and PR comments.

const TOKEN = 'tok-secret-123';
const SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
let recorder: ForgeRecorder;
let http: ReturnType<typeof guardedForgeHttp>;

const status = (state: CommitStatus['state'], targetUrl: string | null = null): CommitStatus => ({
  sha: SHA,
  state,
  targetUrl,
  description: 'Deployed by Rise',
  context: 'rise/shop',
});

beforeAll(async () => {
  recorder = await startForgeRecorder();
  http = guardedForgeHttp(new OutboundGuard({ allow: [`127.0.0.1:${recorder.port}`], ownHosts: [] }));
});
afterAll(() => recorder.stop());
beforeEach(() => recorder.clear());

describe('GitHub', () => {
  const client = forgeStatusClients.github.client(http_);
  const repository = () => ({ apiBase: `${recorder.url}/gh`, path: 'acme/shop', token: TOKEN });

  it('posts a status to /repos/{owner}/{repo}/statuses/{sha} with a Bearer token', async () => {
    await client.postStatus(repository(), status('success', 'http://shop.localhost'));
    await client.postStatus(repository(), status('pending'));
    await client.postStatus(repository(), status('cancelled'));
    const [success, pending, cancelled] = recorder.requests;
    expect(success).toMatchObject({
      method: 'POST',
      path: `/gh/repos/acme/shop/statuses/${SHA}`,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: {
        state: 'success',
        target_url: 'http://shop.localhost',
        description: 'Deployed by Rise',
        context: 'rise/shop',
      },
    });
    expect(pending!.body).toEqual({
      state: 'pending',
      description: 'Deployed by Rise',
      context: 'rise/shop',
    });
    expect((cancelled!.body as { state: string }).state).toBe('error');
  });

  it('comments on the pull request (issues/{n}/comments) and edits that comment by id', async () => {
    const id = await client.createComment(repository(), 7, 'preview at http://a');
    await client.updateComment(repository(), 7, id, 'preview at http://b');
    expect(recorder.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: '/gh/repos/acme/shop/issues/7/comments',
        body: { body: 'preview at http://a' },
      },
      {
        method: 'PATCH',
        path: `/gh/repos/acme/shop/issues/comments/${id}`,
        body: { body: 'preview at http://b' },
      },
    ]);
  });
});

describe('GitLab', () => {
  const client = forgeStatusClients.gitlab.client(http_);
  const repository = () => ({
    apiBase: `${recorder.url}/api/v4`,
    path: 'acme/platform/shop',
    token: TOKEN,
  });

  it('posts to /projects/{url-encoded path}/statuses/{sha} with PRIVATE-TOKEN, naming the status', async () => {
    await client.postStatus(repository(), status('pending'));
    await client.postStatus(repository(), status('failure'));
    await client.postStatus(repository(), status('cancelled'));
    const [pending, failure, cancelled] = recorder.requests;
    expect(pending).toMatchObject({
      method: 'POST',
      path: `/api/v4/projects/acme%2Fplatform%2Fshop/statuses/${SHA}`,
      headers: { 'private-token': TOKEN },
      body: { state: 'running', name: 'rise/shop', description: 'Deployed by Rise' },
    });
    expect(pending!.headers.authorization).toBeUndefined();
    expect((failure!.body as { state: string }).state).toBe('failed');
    expect((cancelled!.body as { state: string }).state).toBe('canceled');
  });

  it('keeps a merge request note: POST merge_requests/{iid}/notes, PUT …/notes/{id}', async () => {
    const id = await client.createComment(repository(), 26, 'one');
    await client.updateComment(repository(), 26, id, 'two');
    expect(recorder.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST /api/v4/projects/acme%2Fplatform%2Fshop/merge_requests/26/notes',
      `PUT /api/v4/projects/acme%2Fplatform%2Fshop/merge_requests/26/notes/${id}`,
    ]);
    expect(recorder.requests.map((request) => request.body)).toEqual([{ body: 'one' }, { body: 'two' }]);
  });
});

describe('Gitea / Forgejo', () => {
  const client = forgeStatusClients.gitea.client(http_);
  const repository = () => ({ apiBase: `${recorder.url}/api/v1`, path: 'acme/shop', token: TOKEN });

  it('posts to /api/v1/repos/{owner}/{repo}/statuses/{sha} with `Authorization: token …`', async () => {
    await client.postStatus(repository(), status('success', 'http://pr-3.localhost'));
    expect(recorder.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/api/v1/repos/acme/shop/statuses/${SHA}`,
        headers: expect.objectContaining({ authorization: `token ${TOKEN}` }),
        body: {
          state: 'success',
          target_url: 'http://pr-3.localhost',
          description: 'Deployed by Rise',
          context: 'rise/shop',
        },
      }),
    ]);
  });

  it('comments through the issues API and edits with PATCH issues/comments/{id}', async () => {
    const id = await client.createComment(repository(), 3, 'x');
    await client.updateComment(repository(), 3, id, 'y');
    expect(recorder.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST /api/v1/repos/acme/shop/issues/3/comments',
      `PATCH /api/v1/repos/acme/shop/issues/comments/${id}`,
    ]);
  });
});

describe('Bitbucket Cloud', () => {
  const client = forgeStatusClients.bitbucket.client(http_);
  const repository = () => ({ apiBase: `${recorder.url}/2.0`, path: 'acme-team/shop', token: TOKEN });

  it('posts a build status keyed rise/<project> to …/commit/{sha}/statuses/build', async () => {
    await client.postStatus(repository(), status('success', 'http://shop.localhost'));
    await client.postStatus(repository(), status('pending', 'http://rise.localhost/projects/shop'));
    await client.postStatus(repository(), status('cancelled', 'http://rise.localhost/projects/shop'));
    const [success, pending, cancelled] = recorder.requests;
    expect(success).toMatchObject({
      method: 'POST',
      path: `/2.0/repositories/acme-team/shop/commit/${SHA}/statuses/build`,
      headers: { authorization: `Bearer ${TOKEN}` },
      body: {
        key: 'rise/shop',
        state: 'SUCCESSFUL',
        name: 'rise/shop',
        url: 'http://shop.localhost',
        description: 'Deployed by Rise',
      },
    });
    expect((pending!.body as { state: string }).state).toBe('INPROGRESS');
    expect((cancelled!.body as { state: string }).state).toBe('STOPPED');
  });

  it('comments with content.raw and edits with PUT pullrequests/{id}/comments/{comment}', async () => {
    const id = await client.createComment(repository(), 12, 'first');
    await client.updateComment(repository(), 12, id, 'second');
    expect(recorder.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: '/2.0/repositories/acme-team/shop/pullrequests/12/comments',
        body: { content: { raw: 'first' } },
      },
      {
        method: 'PUT',
        path: `/2.0/repositories/acme-team/shop/pullrequests/12/comments/${id}`,
        body: { content: { raw: 'second' } },
      },
    ]);
  });
});

describe('forge HTTP', () => {
  it("an error answer is a ForgeHttpError with the forge's message and without the token", async () => {
    recorder.failNext(401);
    const failure = await forgeStatusClients.github
      .client(http_)
      .postStatus({ apiBase: recorder.url, path: 'acme/shop', token: TOKEN }, status('pending'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ForgeHttpError);
    expect((failure as ForgeHttpError).status).toBe(401);
    expect((failure as Error).message).toBe(
      `POST ${recorder.url}/repos/acme/shop/statuses/${SHA} answered 401: failing on purpose (401)`,
    );
    expect((failure as Error).message).not.toContain(TOKEN);
  });

  it('a forge that does not answer in time is given up, naming the wait', async () => {
    recorder.delayNext(2000);
    const impatient = guardedForgeHttp(
      new OutboundGuard({ allow: [`127.0.0.1:${recorder.port}`], ownHosts: [] }),
      200,
    );
    const started = Date.now();
    const failure: Error = await impatient({
      method: 'POST',
      url: `${recorder.url}/slow`,
      headers: {},
      body: {},
    }).then(
      () => new Error('it answered'),
      (error: Error) => error,
    );
    expect(failure.message).toBe(`POST ${recorder.url}/slow failed: no answer within 0.2 s`);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('the outbound guard refuses a forge on a loopback address unless RISE_OUTBOUND_ALLOW lists it', async () => {
    const refused = guardedForgeHttp(new OutboundGuard({ allow: [], ownHosts: [] }));
    const failure: Error = await refused({
      method: 'POST',
      url: `${recorder.url}/x`,
      headers: {},
      body: {},
    }).then(
      () => new Error('the request was made'),
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(ForgeRefusedError);
    expect(failure.message).toContain(`Rise refused to connect to 127.0.0.1:${recorder.port}`);
    expect(recorder.requests).toEqual([]);
  });
});

describe('where the forge is', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'github', 'https://api.github.com', 'acme/shop'],
    ['git@github.com:acme/shop.git', 'github', 'https://api.github.com', 'acme/shop'],
    ['https://ghe.example.com/acme/shop', 'github', 'https://ghe.example.com/api/v3', 'acme/shop'],
    [
      'ssh://git@gitlab.example.com:2222/acme/platform/shop.git',
      'gitlab',
      'https://gitlab.example.com/api/v4',
      'acme/platform/shop',
    ],
    ['https://gitlab.com/acme/shop.git', 'gitlab', 'https://gitlab.com/api/v4', 'acme/shop'],
    ['http://gitea.lan:3000/acme/shop.git', 'gitea', 'http://gitea.lan:3000/api/v1', 'acme/shop'],
    ['git@codeberg.org:acme/shop.git', 'gitea', 'https://codeberg.org/api/v1', 'acme/shop'],
    ['git@bitbucket.org:acme-team/shop.git', 'bitbucket', 'https://api.bitbucket.org/2.0', 'acme-team/shop'],
  ] as const)('%s on %s: API %s, repository %s', (url, provider, api, path) => {
    const location = forgeLocation(url);
    expect(location.path).toBe(path);
    expect(forgeStatusClients[provider].defaultApiBase(location.origin)).toBe(api);
  });
});

function http_(request: Parameters<typeof http>[0]) {
  return http(request);
}
