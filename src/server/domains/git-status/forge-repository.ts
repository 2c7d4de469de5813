import { isSshRepositoryUrl, repositoryHost } from '@/shared/git/git-source.schema';

/**
 * Where a repository's forge is and its path on it: `https://host[:port]` (an https/http URL's own
 * origin; https on the host for ssh forms) and `owner/repo` without `.git` (GitLab: `group/sub/repo`).
 */
export function forgeLocation(repositoryUrl: string): { origin: string; path: string } {
  const host = repositoryHost(repositoryUrl);
  if (!host) throw new Error(`Rise cannot tell the forge of '${repositoryUrl}'.`);
  let path: string;
  let origin = `https://${host.includes(':') ? `[${host}]` : host}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repositoryUrl)) {
    const url = new URL(repositoryUrl);
    path = url.pathname;
    if (!isSshRepositoryUrl(repositoryUrl)) origin = url.origin;
  } else {
    path = repositoryUrl.slice(repositoryUrl.indexOf(':') + 1);
  }
  return {
    origin,
    path: path
      .replace(/^\/+/, '')
      .replace(/\/+$/, '')
      .replace(/\.git$/, ''),
  };
}
