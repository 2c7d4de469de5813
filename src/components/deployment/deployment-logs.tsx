'use client';

import { Card } from '@/components/ui/card';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { CommitSummary, TriggerBadge } from './deployment-source';
import { LogStream } from './log-stream';

/**
 * One deployment: what started it and the commit it was built from, then its deploy events (a server
 * build's output among them) and the app's output, both live; they restart when it changes.
 */
export function DeploymentLogs({ project, deployment }: { project: string; deployment: DeploymentView }) {
  return (
    <Card title={`Logs of ${deployment.id}`}>
      <div className="flex flex-col gap-5">
        <div className="flex flex-col gap-1" data-testid="deployment-source">
          <p className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            Started by <TriggerBadge trigger={deployment.trigger} />
          </p>
          {deployment.commit && <CommitSummary commit={deployment.commit} full />}
        </div>
        <LogStream
          key={`events-${project}-${deployment.id}`}
          project={project}
          deployment={deployment.id}
          source="events"
          label="Deploy events"
          emptyText="No events yet."
          heightClass="h-56"
        />
        <LogStream
          key={`runtime-${project}-${deployment.id}`}
          project={project}
          deployment={deployment.id}
          source="runtime"
          label="Runtime logs"
          emptyText="No output yet."
          heightClass="h-96"
        />
      </div>
    </Card>
  );
}
