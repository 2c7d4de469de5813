import { z } from 'zod';
import { expiryDuration } from '@/shared/deployment-groups';

/** Forges Rise receives webhooks from; the webhook URL names one. */
export const GIT_PROVIDERS = ['github', 'gitlab', 'gitea', 'bitbucket'] as const;
export type GitProvider = (typeof GIT_PROVIDERS)[number];
export const gitProvider = z.enum(GIT_PROVIDERS);

const URL_FORMS =
  'Use https://host/owner/repo.git, ssh://[user@]host[:port]/owner/repo.git or user@host:owner/repo.git.';

// Host names and users as forges use them; neither may start with `-` (git and ssh would read an option).
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
// The repository path: no shell metacharacters, no whitespace, no `::` transport prefix.
const PATH_CHARS = /^[A-Za-z0-9._~/%+=@-]+$/;
const URL_CHARS = /^[A-Za-z0-9._~:/@%+=[\]-]+$/;

function pathProblem(path: string): string | null {
  if (!PATH_CHARS.test(path)) {
    return 'The repository path may hold only letters, digits and . _ ~ / % + = @ - (no spaces or shell characters).';
  }
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return `The URL names no repository. ${URL_FORMS}`;
  if (segments.some((segment) => segment.startsWith('-'))) {
    return 'No part of the repository path may start with `-` (git would read it as an option).';
  }
  if (segments.some((segment) => segment === '..')) return 'The repository path may not contain `..`.';
  return null;
}

function hostProblem(host: string): string | null {
  return HOST.test(host) && !host.includes('..') ? null : `'${host}' is not a host name. ${URL_FORMS}`;
}

/**
 * Why a repository URL cannot be used, or null. It reaches `git clone`'s argv on Rise's host, so only
 * remote https/http and ssh forms pass: no file://, local paths, `ext::` transports or option-like parts.
 */
export function repositoryUrlProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return `Give a repository URL. ${URL_FORMS}`;
  if (value.length > 2048) return 'A repository URL is at most 2048 characters.';
  if (value.startsWith('-'))
    return 'A repository URL may not start with `-` (git would read it as an option).';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(value))
    return 'A repository URL may not contain spaces or control characters.';
  if (value.includes('::'))
    return `Git transport helpers (\`ext::\`, \`fd::\`…) are not allowed. ${URL_FORMS}`;
  if (!URL_CHARS.test(value)) {
    return 'A repository URL may hold only letters, digits and . _ ~ : / @ % + = - [ ] (no shell characters).';
  }
  if (value.split('/').includes('..')) return 'A repository URL may not contain `..`.';

  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!['https', 'http', 'ssh'].includes(scheme)) {
      return `'${scheme}://' repositories are not allowed (Rise clones only from remote forges). ${URL_FORMS}`;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return `'${value}' is not a valid URL. ${URL_FORMS}`;
    }
    if (scheme !== 'ssh' && (url.username || url.password)) {
      return 'Put credentials in the access token, not in the repository URL.';
    }
    if (scheme === 'ssh' && (url.password || (url.username && !USER.test(url.username)))) {
      return `'${url.username}' is not a valid ssh user. ${URL_FORMS}`;
    }
    return hostProblem(url.hostname.replace(/^\[|\]$/g, '')) ?? pathProblem(url.pathname);
  }

  // scp-like: [user@]host:path (git reads it as ssh when there is no `/` before the first `:`).
  const scp = /^(?:([^@/:]+)@)?([^@/:]+):(.*)$/.exec(value);
  if (!scp) return `'${value}' is not a remote repository (local paths are not allowed). ${URL_FORMS}`;
  const [, user, host = '', path = ''] = scp;
  if (user !== undefined && !USER.test(user)) return `'${user}' is not a valid ssh user. ${URL_FORMS}`;
  return hostProblem(host) ?? pathProblem(path);
}

export const repositoryUrl = z
  .string()
  .transform((value) => value.trim())
  .superRefine((value, context) => {
    const problem = repositoryUrlProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** Whether git reaches the repository over ssh (and so needs the deploy key rather than the token). */
export const isSshRepositoryUrl = (url: string) => !/^https?:\/\//i.test(url);

/** Why a branch name breaks git's ref name rules (git check-ref-format), or null. */
export function branchNameProblem(branch: string): string | null {
  if (branch === '') return 'Give a branch name.';
  if (branch.length > 255) return 'A branch name is at most 255 characters.';
  if (branch.startsWith('-')) return 'A branch name may not start with `-`.';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: git forbids control characters in refs
  if (/[\s\u0000-\u001f\u007f~^:?*[\\]/.test(branch)) {
    return 'A branch name may not contain spaces, control characters or any of ~ ^ : ? * [ \\.';
  }
  if (branch.includes('..') || branch.includes('@{') || branch.includes('//')) {
    return 'A branch name may not contain `..`, `@{` or `//`.';
  }
  if (branch === '@' || branch.startsWith('/') || branch.endsWith('/') || branch.endsWith('.')) {
    return 'A branch name may not be `@`, start or end with `/`, or end with `.`.';
  }
  if (branch.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'No part of a branch name may start with `.` or end with `.lock`.';
  }
  return null;
}

export const branchName = z.string().superRefine((value, context) => {
  const problem = branchNameProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

function relativePathProblem(what: string, path: string, chars: RegExp, allowed: string): string | null {
  if (path.length > 512) return `${what} is at most 512 characters.`;
  if (path.startsWith('/')) return `${what} is relative to the repository root (no leading \`/\`).`;
  if (path.startsWith('-')) return `${what} may not start with \`-\`.`;
  if (!chars.test(path)) return `${what} may hold only letters, digits and ${allowed}.`;
  if (path.split('/').some((part) => part === '..')) return `${what} may not leave the repository (\`..\`).`;
  return null;
}

function relativePath(what: string, chars: RegExp, allowed: string) {
  return z.string().superRefine((value, context) => {
    const problem = relativePathProblem(what, value, chars, allowed);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
}

/** The directory the build runs in, relative to the repository root; `.` is the root. */
export const rootDirectory = relativePath(
  'The root directory',
  /^[A-Za-z0-9._@+/-]+$/,
  '. _ @ + / -',
).transform((value) => value.replace(/\/+$/, '') || '.');
/** The Dockerfile, relative to the root directory. */
export const dockerfilePath = relativePath('The Dockerfile path', /^[A-Za-z0-9._@+/-]+$/, '. _ @ + / -');
/** A glob of repository paths (`src/**`, `*.json`, `{api,web}/**`); `!` excludes. */
export const watchPath = relativePath(
  'A watch path',
  /^[A-Za-z0-9._@+/*?{},![\]-]+$/,
  '. _ @ + / - * ? { } , ! [ ]',
);
export const watchPaths = z.array(watchPath).max(50, { message: 'At most 50 watch paths.' });

/** Expiry of pull request previews, kept as written (`7d`). */
export const previewExpiry = z.string().superRefine((value, context) => {
  const result = expiryDuration.safeParse(value);
  if (!result.success) context.addIssue({ code: 'custom', message: result.error.issues[0]!.message });
});

export const accessToken = z
  .string()
  .min(1, { message: 'Give the access token (or clear it).' })
  .max(4096)
  .regex(/^\S+$/, { message: 'An access token has no spaces.' });

/** The forge's API base (GitHub Enterprise `https://ghe.example.com/api/v3`); commit statuses go there. */
export const forgeApiUrl = z
  .string()
  .trim()
  .max(2048, { message: 'An API URL is at most 2048 characters.' })
  .superRefine((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: 'custom', message: `'${value}' is not a URL. Give https://host[/path].` });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      context.addIssue({ code: 'custom', message: 'The API URL must start with https:// (or http://).' });
    else if (url.username || url.password)
      context.addIssue({
        code: 'custom',
        message: 'Put credentials in the access token, not in the API URL.',
      });
    else if (url.search || url.hash)
      context.addIssue({ code: 'custom', message: 'The API URL may not have a query (?) or fragment (#).' });
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** Settings of a git source; on update every field is optional, null clears a nullable one. */
export const gitSourceSettings = z.object({
  repositoryUrl: repositoryUrl.optional(),
  branch: branchName.optional(),
  rootDirectory: rootDirectory.optional(),
  dockerfile: dockerfilePath.nullable().optional(),
  watchPaths: watchPaths.optional(),
  submodules: z.boolean().optional(),
  provider: gitProvider.nullable().optional(),
  previewExpiry: previewExpiry.optional(),
  /** Write-only: set, replace or (null) clear; never returned. */
  accessToken: accessToken.nullable().optional(),
  /** Where commit statuses and pull request comments go; null: derived from the repository URL. */
  apiUrl: forgeApiUrl.nullable().optional(),
});
export type GitSourceSettings = z.infer<typeof gitSourceSettings>;

export const gitSourceView = z.object({
  repositoryUrl: z.string(),
  branch: z.string(),
  rootDirectory: z.string(),
  dockerfile: z.string().nullable(),
  watchPaths: z.array(z.string()),
  submodules: z.boolean(),
  provider: gitProvider.nullable(),
  previewExpiry: z.string(),
  /** Where the forge sends webhooks; null until the forge is known (set `provider`). */
  webhookUrl: z.string().nullable(),
  /** The deploy key's public half (OpenSSH), null until one is generated. */
  deployKey: z.string().nullable(),
  accessTokenSet: z.boolean(),
  /** The forge API base set on the source, null when derived from the repository URL. */
  apiUrl: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type GitSourceView = z.infer<typeof gitSourceView>;

/** Forges recognised by their public host, for the webhook URL when no provider is set. */
const KNOWN_HOSTS: Record<string, GitProvider> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucket',
  'codeberg.org': 'gitea',
};

export function repositoryHost(url: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    try {
      return new URL(url).hostname.toLowerCase();
    } catch {
      return null;
    }
  }
  return /^(?:[^@/:]+@)?([^@/:]+):/.exec(url)?.[1]?.toLowerCase() ?? null;
}

/** The provider set on the source, else the one its host is known to be, else null. */
export function effectiveProvider(source: { provider: GitProvider | null; repositoryUrl: string }) {
  if (source.provider) return source.provider;
  const host = repositoryHost(source.repositoryUrl);
  return (host && KNOWN_HOSTS[host]) ?? null;
}

export const webhookPath = (provider: GitProvider, hookId: string) => `/api/hooks/git/${provider}/${hookId}`;
