import {
  commentIdOf,
  type ForgeRepository,
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

/** GitHub and GitHub Enterprise (`https://host/api/v3`): the commit statuses API and issue comments. */
export const github: ForgeStatusEntry = {
  defaultApiBase: (origin) =>
    new URL(origin).hostname === 'github.com' ? 'https://api.github.com' : `${origin}/api/v3`,
  client: (http) => ({
    async postStatus(repository, status) {
      await http({
        method: 'POST',
        url: `${repoUrl(repository)}/statuses/${segment(status.sha)}`,
        headers: headers(repository),
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
        headers: headers(repository),
        body: { body },
      });
      return commentIdOf(answer);
    },
    async updateComment(repository, _number, commentId, body) {
      await http({
        method: 'PATCH',
        url: `${repoUrl(repository)}/issues/comments/${segment(commentId)}`,
        headers: headers(repository),
        body: { body },
      });
    },
  }),
};
