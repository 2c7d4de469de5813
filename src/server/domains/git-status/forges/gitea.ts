import type { ForgeRepository, ForgeStatusEntry } from '../forge-status-client';
import { githubStyleClient } from './github';

/** Gitea and Forgejo (Codeberg): GitHub's statuses and issue comments API under `/api/v1`. */
export const gitea: ForgeStatusEntry = {
  defaultApiBase: (origin) => `${origin}/api/v1`,
  client: githubStyleClient((repository: ForgeRepository) => ({
    authorization: `token ${repository.token}`,
  })),
};
