import { z } from 'zod';

export { type GitProvider, gitProvider } from '@/shared/git/git-source.schema';

/** At most this many changed paths are kept of a push (enough for watch paths, bounded in storage). */
export const MAX_CHANGED_PATHS = 2000;

/** What a forge's delivery means to Rise, whichever forge sent it. */
export const gitEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('push'),
    /** `refs/heads/main`, `refs/tags/v1`. */
    ref: z.string().min(1),
    after: z.string().min(1),
    message: z.string().nullable(),
    author: z.string().nullable(),
    /** Added, modified and removed paths; null when the forge does not list them (watch paths then match). */
    changedPaths: z.array(z.string()).max(MAX_CHANGED_PATHS).nullable(),
  }),
  z.object({
    kind: z.literal('pull_request'),
    number: z.number().int().positive(),
    action: z.enum(['opened', 'synchronize', 'reopened', 'closed']),
    headSha: z.string().min(1),
    /** The source branch's name. */
    headRef: z.string().min(1),
    /** What to fetch from the base repository (`refs/pull/7/head`): it also holds forks' commits. */
    ref: z.string().min(1),
    title: z.string().nullable(),
    author: z.string().nullable(),
  }),
  /** A delivery Rise does not act on (another event, a PR label change…): `why` says which. */
  z.object({ kind: z.literal('other'), why: z.string() }),
]);
export type GitEvent = z.infer<typeof gitEvent>;
export type PushEvent = Extract<GitEvent, { kind: 'push' }>;
export type PullRequestEvent = Extract<GitEvent, { kind: 'pull_request' }>;

/** The request headers a forge entry reads (lower-case names, as the Fetch API gives them). */
export type HookHeaders = { get(name: string): string | null };

export const uniquePaths = (paths: string[]) => [...new Set(paths)].slice(0, MAX_CHANGED_PATHS);
