import { z } from 'zod';
import { hmacHeaderMatches } from '../signature';
import type { GitForge } from './git-forge';

// https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/#Push
const target = z.object({
  hash: z.string(),
  message: z.string().nullish(),
  author: z
    .object({ raw: z.string().nullish(), user: z.object({ display_name: z.string() }).nullish() })
    .nullish(),
});
const push = z.object({
  push: z.object({
    changes: z.array(z.object({ new: z.object({ type: z.string(), name: z.string(), target }).nullable() })),
  }),
});

// https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/#Pull-request-events
const pullRequest = z.object({
  pullrequest: z.object({
    id: z.number().int().positive(),
    title: z.string().nullish(),
    author: z.object({ display_name: z.string() }).nullish(),
    source: z.object({ branch: z.object({ name: z.string() }), commit: z.object({ hash: z.string() }) }),
  }),
});

const PR_EVENTS = {
  'pullrequest:created': 'opened',
  'pullrequest:updated': 'synchronize',
  'pullrequest:fulfilled': 'closed',
  'pullrequest:rejected': 'closed',
} as const;

export const bitbucket: GitForge = {
  name: 'bitbucket',
  // https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/#Secure-webhooks
  verify: (headers, body, secret) =>
    hmacHeaderMatches(headers.get('x-hub-signature'), 'sha256=', secret, body),
  deliveryId: (headers) => headers.get('x-request-uuid') ?? headers.get('x-hook-uuid'),
  eventName: (headers) => headers.get('x-event-key'),
  parse(event, payload) {
    if (event === 'repo:push') {
      // One delivery can carry several refs; Rise acts on the first one still existing.
      const change = push.parse(payload).push.changes.find((c) => c.new !== null)?.new;
      if (!change) return { kind: 'other', why: 'only deleted branches or tags' };
      const prefix = change.type === 'tag' ? 'refs/tags/' : 'refs/heads/';
      return {
        kind: 'push',
        ref: `${prefix}${change.name}`,
        after: change.target.hash,
        message: change.target.message ?? null,
        author: change.target.author?.user?.display_name ?? change.target.author?.raw ?? null,
        // Bitbucket's push payload does not list changed files.
        changedPaths: null,
      };
    }
    if (event && event in PR_EVENTS) {
      const { pullrequest: pr } = pullRequest.parse(payload);
      return {
        kind: 'pull_request',
        number: pr.id,
        action: PR_EVENTS[event as keyof typeof PR_EVENTS],
        headSha: pr.source.commit.hash,
        headRef: pr.source.branch.name,
        // Bitbucket keeps no pull request refs: the branch (of a fork, it is not in this repository).
        ref: `refs/heads/${pr.source.branch.name}`,
        title: pr.title ?? null,
        author: pr.author?.display_name ?? null,
      };
    }
    return { kind: 'other', why: `event ${event ?? '(none)'}` };
  },
};
