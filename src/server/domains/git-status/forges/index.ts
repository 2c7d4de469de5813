import type { GitProvider } from '@/shared/git/git-source.schema';
import type { ForgeStatusEntry } from '../forge-status-client';
import { bitbucket } from './bitbucket';
import { gitea } from './gitea';
import { github } from './github';
import { gitlab } from './gitlab';

/** Every forge Rise reports commit statuses to; adding one is one file and one line here. */
export const forgeStatusClients: Record<GitProvider, ForgeStatusEntry> = { github, gitlab, gitea, bitbucket };
