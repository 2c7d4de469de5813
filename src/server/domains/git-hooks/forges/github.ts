import { z } from 'zod';
import { uniquePaths } from '../git-event.schema';
import { hmacHeaderMatches } from '../signature';
import { type GitForge, isZeroSha } from './git-forge';

// https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
const commitFiles = z.object({
  added: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
  modified: z.array(z.string()).default([]),
});
const push = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().default(false),
  head_commit: z
    .object({
      id: z.string(),
      message: z.string(),
      author: z.object({ name: z.string().optional(), username: z.string().optional() }).optional(),
    })
    .nullable(),
  commits: z.array(commitFiles).default([]),
});

// https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request
const pullRequest = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    title: z.string().nullish(),
    merged: z.boolean().nullish(),
    user: z.object({ login: z.string() }).nullish(),
    head: z.object({ sha: z.string(), ref: z.string() }),
  }),
});

const PR_ACTIONS = {
  opened: 'opened',
  synchronize: 'synchronize',
  reopened: 'reopened',
  closed: 'closed',
} as const;

/** Gitea and Forgejo send GitHub's payload shapes; they differ in headers (and `synchronized`). */
export function parseGithubLike(event: string | null, payload: unknown) {
  if (event === 'push') {
    const body = push.parse(payload);
    if (body.deleted || isZeroSha(body.after))
      return { kind: 'other' as const, why: `${body.ref} was deleted` };
    return {
      kind: 'push' as const,
      ref: body.ref,
      after: body.after,
      message: body.head_commit?.message ?? null,
      author: body.head_commit?.author?.name ?? body.head_commit?.author?.username ?? null,
      changedPaths: uniquePaths(body.commits.flatMap((c) => [...c.added, ...c.removed, ...c.modified])),
    };
  }
  if (event === 'pull_request') {
    const body = pullRequest.parse(payload);
    const action = body.action === 'synchronized' ? 'synchronize' : body.action;
    if (!(action in PR_ACTIONS))
      return { kind: 'other' as const, why: `pull request #${body.number} ${body.action}` };
    return {
      kind: 'pull_request' as const,
      number: body.number,
      action: PR_ACTIONS[action as keyof typeof PR_ACTIONS],
      headSha: body.pull_request.head.sha,
      headRef: body.pull_request.head.ref,
      ref: `refs/pull/${body.number}/head`,
      title: body.pull_request.title ?? null,
      author: body.pull_request.user?.login ?? null,
    };
  }
  return { kind: 'other' as const, why: `event ${event ?? '(none)'}` };
}

export const github: GitForge = {
  name: 'github',
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  verify: (headers, body, secret) =>
    hmacHeaderMatches(headers.get('x-hub-signature-256'), 'sha256=', secret, body),
  deliveryId: (headers) => headers.get('x-github-delivery'),
  eventName: (headers) => headers.get('x-github-event'),
  parse: parseGithubLike,
};
