import {
  commentIdOf,
  type ForgeRepository,
  type ForgeStatusEntry,
  ownerAndName,
  segment,
} from '../forge-status-client';

const STATE = {
  pending: 'INPROGRESS',
  success: 'SUCCESSFUL',
  failure: 'FAILED',
  cancelled: 'STOPPED',
} as const;

const repoUrl = (repository: ForgeRepository) => {
  const [workspace, name] = ownerAndName(repository.path);
  return `${repository.apiBase}/repositories/${segment(workspace)}/${segment(name)}`;
};

const headers = (repository: ForgeRepository) => ({ authorization: `Bearer ${repository.token}` });

/** Bitbucket Cloud: build statuses keyed by `rise/<project>` and pull request comments. */
export const bitbucket: ForgeStatusEntry = {
  defaultApiBase: () => 'https://api.bitbucket.org/2.0',
  client: (http) => ({
    async postStatus(repository, status) {
      await http({
        method: 'POST',
        url: `${repoUrl(repository)}/commit/${segment(status.sha)}/statuses/build`,
        headers: headers(repository),
        body: {
          key: status.context,
          state: STATE[status.state],
          name: status.context,
          description: status.description,
          // Bitbucket requires a URL; until the deployment serves, it names no page of its own.
          ...(status.targetUrl ? { url: status.targetUrl } : {}),
        },
      });
    },
    async createComment(repository, number, body) {
      const answer = await http({
        method: 'POST',
        url: `${repoUrl(repository)}/pullrequests/${number}/comments`,
        headers: headers(repository),
        body: { content: { raw: body } },
      });
      return commentIdOf(answer);
    },
    async updateComment(repository, number, commentId, body) {
      await http({
        method: 'PUT',
        url: `${repoUrl(repository)}/pullrequests/${number}/comments/${segment(commentId)}`,
        headers: headers(repository),
        body: { content: { raw: body } },
      });
    },
  }),
};
