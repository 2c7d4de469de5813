'use client';

import { RemoveButton } from '@/components/ui/remove-button';

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
    <RemoveButton
      item={group}
      action="Stop"
      title="Stop preview"
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
