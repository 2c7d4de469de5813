import { commentIdOf, type ForgeRepository, type ForgeStatusEntry, segment } from '../forge-status-client';

const STATE = { pending: 'running', success: 'success', failure: 'failed', cancelled: 'canceled' } as const;

// GitLab names a project by its full path (groups and subgroups), URL-encoded as one segment.
const projectUrl = (repository: ForgeRepository) =>
  `${repository.apiBase}/projects/${segment(repository.path.replace(/^\/+|\/+$/g, ''))}`;

const headers = (repository: ForgeRepository) => ({ 'private-token': repository.token });

/** GitLab (gitlab.com or self-managed): `/api/v4` commit statuses and merge request notes. */
export const gitlab: ForgeStatusEntry = {
  defaultApiBase: (origin) => `${origin}/api/v4`,
  client: (http) => ({
    async postStatus(repository, status) {
      await http({
        method: 'POST',
        url: `${projectUrl(repository)}/statuses/${segment(status.sha)}`,
        headers: headers(repository),
        body: {
          state: STATE[status.state],
          name: status.context,
          ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
          description: status.description,
        },
      });
    },
    async createComment(repository, number, body) {
      const answer = await http({
        method: 'POST',
        url: `${projectUrl(repository)}/merge_requests/${number}/notes`,
        headers: headers(repository),
        body: { body },
      });
      return commentIdOf(answer);
    },
    async updateComment(repository, number, commentId, body) {
      await http({
        method: 'PUT',
        url: `${projectUrl(repository)}/merge_requests/${number}/notes/${segment(commentId)}`,
        headers: headers(repository),
        body: { body },
      });
    },
  }),
};
