'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import type { ProjectChange } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';

/**
 * Status changes of the caller's projects (or of one project), pushed over SSE as the database
 * commits them: the dashboard's lists update on change instead of polling.
 */
export function useProjectChanges(
  input: { project?: string; all?: boolean },
  onChange: (change: ProjectChange) => void,
) {
  const trpc = useTRPC();
  useSubscription(trpc.project.changes.subscriptionOptions({ all: false, ...input }, { onData: onChange }));
}
