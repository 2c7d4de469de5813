'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { BackupTarget } from '@/components/backups/backup-target';
import { RestoreHistory } from '@/components/backups/restore-history';
import { RestoreProgress } from '@/components/backups/restore-progress';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';
import { useRestores } from './use-backup-queries';

/** The restore being watched (live log, drill report) above the history of restores and drills. */
export function RestoresCard({
  target,
  watching,
  onWatch,
}: {
  target: Extract<BackupTarget, { kind: 'database' }>;
  watching: string | null;
  onWatch: (restoreId: string | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useRestores(target.project, target.database);
  const restores = query.data ?? [];
  const section = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (watching) section.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [watching]);

  const onEnd = () =>
    Promise.all([
      queryClient.invalidateQueries({
        queryKey: trpc.backup.restores.queryKey({ project: target.project, database: target.database }),
      }),
      // The database leaves `restoring`; a restore into a new database adds one to the list.
      queryClient.invalidateQueries({ queryKey: trpc.database.pathKey() }),
    ]);

  if (restores.length === 0 && !watching) return null;
  return (
    <div ref={section} className="scroll-mt-4">
      <Card title="Restores" titleId="restores-title">
        <div className="flex flex-col gap-4">
          <ErrorAlert error={query.error} />
          {watching && (
            <RestoreProgress
              target={target}
              restoreId={watching}
              restore={restores.find((restore) => restore.id === watching)}
              onEnd={() => void onEnd()}
              onClose={() => onWatch(null)}
            />
          )}
          {restores.length > 0 && <RestoreHistory restores={restores} onShow={onWatch} />}
        </div>
      </Card>
    </div>
  );
}
