import type { GitProvider } from '../git-event.schema';
import { bitbucket } from './bitbucket';
import type { GitForge } from './git-forge';
import { gitea } from './gitea';
import { github } from './github';
import { gitlab } from './gitlab';

/** Every forge Rise takes webhooks from; adding one is one file and one line here. */
export const gitForges: Record<GitProvider, GitForge> = { github, gitlab, gitea, bitbucket };
