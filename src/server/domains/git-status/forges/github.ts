import {
  commentIdOf,
  type ForgeHttp,
  type ForgeRepository,
  type ForgeStatusClient,
  type ForgeStatusEntry,
  ownerAndName,
  segment,
} from '../forge-status-client';

const STATE = { pending: 'pending', success: 'success', failure: 'failure', cancelled: 'error' } as const;

const repoUrl = (repository: ForgeRepository) => {
  const [owner, name] = ownerAndName(repository.path);
  return `${repository.apiBase}/repos/${segment(owner)}/${segment(name)}`;
};

const headers = (repository: ForgeRepository) => ({
  authorization: `Bearer ${repository.token}`,
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
});

/**
 * The statuses and issue comments API of GitHub, which Gitea and Forgejo implement too (a pull request
 * is an issue there); the forges differ in how the token is sent.
 */
export const githubStyleClient =
  (headersOf: (repository: ForgeRepository) => Record<string, string>) =>
  (http: ForgeHttp): ForgeStatusClient => ({
    async postStatus(repository, status) {
      await http({
        method: 'POST',
        url: `${repoUrl(repository)}/statuses/${segment(status.sha)}`,
        headers: headersOf(repository),
        body: {
          state: STATE[status.state],
          ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
          description: status.description,
          context: status.context,
        },
      });
    },
    async createComment(repository, number, body) {
      const answer = await http({
        method: 'POST',
        url: `${repoUrl(repository)}/issues/${number}/comments`,
        headers: headersOf(repository),
        body: { body },
      });
      return commentIdOf(answer);
    },
    async updateComment(repository, _number, commentId, body) {
      await http({
        method: 'PATCH',
        url: `${repoUrl(repository)}/issues/comments/${segment(commentId)}`,
        headers: headersOf(repository),
        body: { body },
      });
    },
  });

/** GitHub and GitHub Enterprise (`https://host/api/v3`). */
export const github: ForgeStatusEntry = {
  defaultApiBase: (origin) =>
    new URL(origin).hostname === 'github.com' ? 'https://api.github.com' : `${origin}/api/v3`,
  client: githubStyleClient(headers),
};
