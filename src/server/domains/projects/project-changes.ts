import type { z } from 'zod';
import { listen } from '@/server/db-notify';
import type { Caller } from '@/server/domains/access/caller';
import { projectRepo } from './project.repo';
import type { ProjectChange, projectChangesInput } from './project.schema';
import { summariesOf } from './project.service';

/** Written by the triggers of migration 20261202050956_list_indexes, with a project id as payload. */
export const PROJECT_CHANGES_CHANNEL = 'rise_project_changes';
/** Changes arriving together (a deployment's status and the project's active deployment) make one message. */
const COALESCE_MS = 100;

/**
 * The changes of projects `caller` may see, as they are committed: first a `resync` (the caller
 * reloads what it shows, so nothing between its load and this subscription is missed), then fresh
 * summaries of changed projects, and `resync` again whenever listening had to restart.
 */
export async function* projectChanges(
  caller: Caller,
  input: z.output<typeof projectChangesInput>,
  signal?: AbortSignal,
): AsyncGenerator<ProjectChange> {
  // A project page listens to one project: other projects' changes are dropped before any query. An
  // unknown name matches nothing, and the stream behaves as for a project the caller may not see.
  const onlyId = input.project ? ((await projectRepo.findIdByName(input.project)) ?? '') : undefined;
  const changed = new Set<string>();
  let missed = true;
  let wake: (() => void) | null = null;
  const stop = await listen(PROJECT_CHANGES_CHANNEL, (projectId) => {
    if (projectId === null) missed = true;
    else if (onlyId === undefined || projectId === onlyId) changed.add(projectId);
    else return;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    while (!signal?.aborted) {
      if (!missed && changed.size === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
        continue;
      }
      if (missed) {
        missed = false;
        changed.clear();
        yield { type: 'resync' };
        continue;
      }
      const ids = [...changed];
      changed.clear();
      const summaries = (await summariesOf(caller, ids, input)).map((entry) => entry.summary);
      if (summaries.length > 0) yield { type: 'changed', projects: summaries };
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop();
  }
}
