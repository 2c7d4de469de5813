'use client';

import { Card } from '@/components/ui/card';
import { LogStream } from './log-stream';

/** The deploy events and the app's output of one deployment, both live; they restart when it changes. */
export function DeploymentLogs({ project, deployment }: { project: string; deployment: string }) {
  return (
    <Card title={`Logs of ${deployment}`}>
      <div className="flex flex-col gap-5">
        <LogStream
          key={`events-${project}-${deployment}`}
          project={project}
          deployment={deployment}
          source="events"
          label="Deploy events"
          emptyText="No events yet."
          heightClass="h-56"
        />
        <LogStream
          key={`runtime-${project}-${deployment}`}
          project={project}
          deployment={deployment}
          source="runtime"
          label="Runtime logs"
          emptyText="No output yet."
          heightClass="h-96"
        />
      </div>
    </Card>
  );
}
