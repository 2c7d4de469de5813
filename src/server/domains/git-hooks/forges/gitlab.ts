import { z } from 'zod';
import { uniquePaths } from '../git-event.schema';
import { tokenHeaderMatches } from '../signature';
import { firstLine, type GitForge, isZeroSha } from './git-forge';

// https://docs.gitlab.com/user/project/integrations/webhook_events/#push-events
const push = z.object({
  object_kind: z.literal('push'),
  ref: z.string(),
  after: z.string(),
  user_name: z.string().nullish(),
  total_commits_count: z.number().int().nonnegative(),
  commits: z.array(
    z.object({
      id: z.string(),
      message: z.string(),
      author: z.object({ name: z.string() }).nullish(),
      added: z.array(z.string()).default([]),
      modified: z.array(z.string()).default([]),
      removed: z.array(z.string()).default([]),
    }),
  ),
});

// https://docs.gitlab.com/user/project/integrations/webhook_events/#merge-request-events
const mergeRequest = z.object({
  object_kind: z.literal('merge_request'),
  user: z.object({ username: z.string() }).nullish(),
  object_attributes: z.object({
    iid: z.number().int().positive(),
    action: z.string().nullish(),
    title: z.string().nullish(),
    source_branch: z.string(),
    last_commit: z.object({ id: z.string() }),
    // Present on an `update` that pushed commits; an update of the title or labels has none.
    oldrev: z.string().nullish(),
  }),
});

export const gitlab: GitForge = {
  name: 'gitlab',
  // https://docs.gitlab.com/user/project/integrations/webhooks/#validate-payloads-by-using-a-secret-token
  verify: (headers, _body, secret) => tokenHeaderMatches(headers.get('x-gitlab-token'), secret),
  deliveryId: (headers) => headers.get('x-gitlab-event-uuid'),
  eventName: (headers) => headers.get('x-gitlab-event'),
  parse(event, payload) {
    if (event === 'Push Hook') {
      const body = push.parse(payload);
      if (isZeroSha(body.after)) return { kind: 'other', why: `${body.ref} was deleted` };
      const head = body.commits.find((commit) => commit.id === body.after);
      // GitLab lists at most 20 commits: with more, which paths changed is not known.
      const complete = body.commits.length >= body.total_commits_count;
      return {
        kind: 'push',
        ref: body.ref,
        after: body.after,
        message: head?.message ?? null,
        author: head?.author?.name ?? body.user_name ?? null,
        changedPaths: complete
          ? uniquePaths(body.commits.flatMap((c) => [...c.added, ...c.removed, ...c.modified]))
          : null,
      };
    }
    if (event === 'Merge Request Hook') {
      const { object_attributes: mr, user } = mergeRequest.parse(payload);
      const action = mr.action ?? '';
      const mapped =
        action === 'open'
          ? 'opened'
          : action === 'reopen'
            ? 'reopened'
            : action === 'close' || action === 'merge'
              ? 'closed'
              : action === 'update' && mr.oldrev
                ? 'synchronize'
                : null;
      if (!mapped) return { kind: 'other', why: `merge request !${mr.iid} ${action || 'changed'}` };
      return {
        kind: 'pull_request',
        number: mr.iid,
        action: mapped,
        headSha: mr.last_commit.id,
        headRef: mr.source_branch,
        ref: `refs/merge-requests/${mr.iid}/head`,
        title: firstLine(mr.title),
        author: user?.username ?? null,
      };
    }
    return { kind: 'other', why: `event ${event ?? '(none)'}` };
  },
};
