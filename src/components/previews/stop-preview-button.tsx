'use client';

import { ConfirmButton } from '@/components/ui/confirm-button';

/** "Stop" for a preview group, asking first: its URL stops answering and its instances are removed. */
export function StopPreviewButton({
  project,
  group,
  onStop,
}: {
  project: string;
  group: string;
  onStop: () => Promise<unknown>;
}) {
  return (
    <ConfirmButton
      small
      variant="danger"
      label={
        <>
          Stop<span className="sr-only"> {group}</span>
        </>
      }
      title="Stop preview"
      confirmLabel="Stop"
      description={
        <>
          Preview <strong className="font-mono">{group}</strong> of <strong>{project}</strong> stops: its URL
          stops answering and its instances are removed. Deploy it again with{' '}
          <code className="font-mono">
            rise d c {project} -g {group}
          </code>
          .
        </>
      }
      onConfirm={onStop}
    />
  );
}
