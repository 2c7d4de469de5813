import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { gitEvent } from '../git-event.schema';
import { gitForges } from '.';

// biome-ignore lint/suspicious/noExplicitAny: samples are edited into variants below
const sample = (name: string): any =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../testing/payloads', `${name}.json`), 'utf8'));
const { github, gitlab, gitea, bitbucket } = gitForges;

describe('GitHub', () => {
  it('push: ref, head commit and every changed path', () => {
    expect(github.parse('push', sample('github-push'))).toEqual({
      kind: 'push',
      ref: 'refs/heads/main',
      after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      message: 'Update README.md\n\nExplain the setup.',
      author: 'baxterthehacker',
      changedPaths: ['package.json', 'package-lock.json', 'docs/setup.md', 'old/notes.txt', 'README.md'],
    });
  });

  it('a deleted branch is not a deploy', () => {
    const deleted = {
      ...sample('github-push'),
      deleted: true,
      after: '0000000000000000000000000000000000000000',
      head_commit: null,
      commits: [],
    };
    expect(github.parse('push', deleted)).toEqual({ kind: 'other', why: 'refs/heads/main was deleted' });
  });

  it('pull_request opened: number, head sha, head branch and the PR ref', () => {
    expect(github.parse('pull_request', sample('github-pull-request-opened'))).toEqual({
      kind: 'pull_request',
      number: 1,
      action: 'opened',
      headSha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      headRef: 'changes',
      ref: 'refs/pull/1/head',
      title: 'Update the README with new information',
      author: 'baxterthehacker',
    });
  });

  it('a merged pull request is closed; a labelled one is not acted on', () => {
    const merged = { ...sample('github-pull-request-opened'), action: 'closed' };
    merged.pull_request.merged = true;
    expect(github.parse('pull_request', merged)).toMatchObject({ kind: 'pull_request', action: 'closed' });
    const labeled = { ...sample('github-pull-request-opened'), action: 'labeled' };
    expect(github.parse('pull_request', labeled)).toEqual({ kind: 'other', why: 'pull request #1 labeled' });
  });

  it('other events (ping, issues) are not acted on', () => {
    expect(github.parse('ping', { zen: 'Keep it logically awesome.' })).toEqual({
      kind: 'other',
      why: 'event ping',
    });
  });

  it('a push payload of another shape is a ZodError naming the field', () => {
    const broken = { ...sample('github-push'), after: 42 };
    expect(() => github.parse('push', broken)).toThrow(ZodError);
  });

  it('reads the delivery id and event from its headers', () => {
    const headers = new Headers({
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-GitHub-Event': 'push',
    });
    expect(github.deliveryId(headers)).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(github.eventName(headers)).toBe('push');
  });
});

describe('GitLab', () => {
  it('Push Hook: the head commit is the one `after` names', () => {
    expect(gitlab.parse('Push Hook', sample('gitlab-push'))).toEqual({
      kind: 'push',
      ref: 'refs/heads/main',
      after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      message: 'fixed readme',
      author: 'GitLab dev user',
      changedPaths: ['CHANGELOG', 'app/controller/application.rb'],
    });
  });

  it('more commits than listed: the changed paths are unknown', () => {
    const big = { ...sample('gitlab-push'), total_commits_count: 25 };
    expect(gitlab.parse('Push Hook', big)).toMatchObject({ kind: 'push', changedPaths: null });
  });

  it('Merge Request Hook update with new commits is a synchronize, on the MR ref', () => {
    expect(gitlab.parse('Merge Request Hook', sample('gitlab-merge-request-update'))).toEqual({
      kind: 'pull_request',
      number: 1,
      action: 'synchronize',
      headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      headRef: 'ms-viewport',
      ref: 'refs/merge-requests/1/head',
      title: 'MS-Viewport',
      author: 'root',
    });
  });

  it('maps open, reopen, close and merge; an update without commits is not acted on', () => {
    const withAction = (action: string, oldrev?: string) => {
      const body = sample('gitlab-merge-request-update');
      body.object_attributes.action = action;
      if (oldrev === undefined) delete body.object_attributes.oldrev;
      return gitlab.parse('Merge Request Hook', body);
    };
    expect(withAction('open')).toMatchObject({ action: 'opened' });
    expect(withAction('reopen')).toMatchObject({ action: 'reopened' });
    expect(withAction('close')).toMatchObject({ action: 'closed' });
    expect(withAction('merge')).toMatchObject({ action: 'closed' });
    expect(withAction('update')).toEqual({ kind: 'other', why: 'merge request !1 update' });
    expect(withAction('approved')).toEqual({ kind: 'other', why: 'merge request !1 approved' });
  });

  it('reads X-Gitlab-Event-UUID and X-Gitlab-Event', () => {
    const headers = new Headers({
      'X-Gitlab-Event': 'Push Hook',
      'X-Gitlab-Event-UUID': '13792a34-cac6-4fda-95a8-c58e00a3954e',
    });
    expect(gitlab.deliveryId(headers)).toBe('13792a34-cac6-4fda-95a8-c58e00a3954e');
    expect(gitlab.eventName(headers)).toBe('Push Hook');
  });
});

describe('Gitea', () => {
  it('push (GitHub’s shape)', () => {
    expect(gitea.parse('push', sample('gitea-push'))).toEqual({
      kind: 'push',
      ref: 'refs/heads/develop',
      after: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      message: 'Webhooks Yay!',
      author: 'Gitea',
      changedPaths: ['web/app.ts'],
    });
  });

  it('pull_request `synchronized` is a synchronize', () => {
    expect(gitea.parse('pull_request', sample('gitea-pull-request-synchronized'))).toEqual({
      kind: 'pull_request',
      number: 7,
      action: 'synchronize',
      headSha: '3c24ad0ae7e3d0ad2a5cbd2f7f1c0d1a8f1a0a4e',
      headRef: 'health',
      ref: 'refs/pull/7/head',
      title: 'Add a health endpoint',
      author: 'gitea',
    });
  });

  it('reads X-Gitea-Delivery and X-Gitea-Event (or Forgejo’s twins)', () => {
    expect(
      gitea.deliveryId(new Headers({ 'X-Gitea-Delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473' })),
    ).toBe('f6266f16-1bf3-46a5-9ea4-602e06ead473');
    expect(gitea.eventName(new Headers({ 'X-Forgejo-Event': 'push' }))).toBe('push');
  });
});

describe('Bitbucket', () => {
  it('repo:push: the branch and its target commit; no changed paths in the payload', () => {
    expect(bitbucket.parse('repo:push', sample('bitbucket-push'))).toEqual({
      kind: 'push',
      ref: 'refs/heads/main',
      after: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
      message: 'Add the deploy section\n',
      author: 'Emma',
      changedPaths: null,
    });
  });

  it('a pushed tag is a tag ref; a deleted branch is not a deploy', () => {
    const tag = sample('bitbucket-push');
    tag.push.changes[0].new.type = 'tag';
    tag.push.changes[0].new.name = 'v1.0';
    expect(bitbucket.parse('repo:push', tag)).toMatchObject({ ref: 'refs/tags/v1.0' });
    const deleted = sample('bitbucket-push');
    deleted.push.changes[0].new = null;
    expect(bitbucket.parse('repo:push', deleted)).toEqual({
      kind: 'other',
      why: 'only deleted branches or tags',
    });
  });

  it('pullrequest:fulfilled (merged) and :rejected close; :created opens; :updated synchronizes', () => {
    const pr = sample('bitbucket-pullrequest-fulfilled');
    expect(bitbucket.parse('pullrequest:fulfilled', pr)).toEqual({
      kind: 'pull_request',
      number: 12,
      action: 'closed',
      headSha: '709d658dc5b6',
      headRef: 'deploy-section',
      ref: 'refs/heads/deploy-section',
      title: 'Deploy section',
      author: 'Emma',
    });
    expect(bitbucket.parse('pullrequest:rejected', pr)).toMatchObject({ action: 'closed' });
    expect(bitbucket.parse('pullrequest:created', pr)).toMatchObject({ action: 'opened' });
    expect(bitbucket.parse('pullrequest:updated', pr)).toMatchObject({ action: 'synchronize' });
    expect(bitbucket.parse('pullrequest:comment_created', pr)).toEqual({
      kind: 'other',
      why: 'event pullrequest:comment_created',
    });
  });

  it('reads X-Request-UUID and X-Event-Key', () => {
    const headers = new Headers({
      'X-Event-Key': 'repo:push',
      'X-Request-UUID': 'a4c8f0de-3f55-4a6b-8d02-1f2a5ef0c9a1',
    });
    expect(bitbucket.deliveryId(headers)).toBe('a4c8f0de-3f55-4a6b-8d02-1f2a5ef0c9a1');
    expect(bitbucket.eventName(headers)).toBe('repo:push');
  });
});

describe('every forge', () => {
  it('normalizes into the one GitEvent schema', () => {
    const events = [
      github.parse('push', sample('github-push')),
      gitlab.parse('Merge Request Hook', sample('gitlab-merge-request-update')),
      gitea.parse('pull_request', sample('gitea-pull-request-synchronized')),
      bitbucket.parse('repo:push', sample('bitbucket-push')),
    ];
    for (const event of events) expect(gitEvent.safeParse(event).success).toBe(true);
  });
});
