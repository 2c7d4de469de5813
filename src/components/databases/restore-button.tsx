'use client';

import type { BackupTarget } from '@/components/backups/backup-target';
import type { BackupView } from '@/shared/backups/backup.schema';
import { RestoreDialogButton } from './restore-dialog-button';
import { RestoreForm } from './restore-form';

/** "Restore" on a succeeded backup, opening the dialog that picks how to restore it. */
export function RestoreButton({
  target,
  backup,
  onStarted,
}: {
  target: Extract<BackupTarget, { kind: 'database' }>;
  backup: BackupView;
  onStarted: (restoreId: string) => void;
}) {
  return (
    <RestoreDialogButton
      label={
        <>
          Restore<span className="sr-only"> this backup</span>
        </>
      }
      title="Restore backup"
      onStarted={onStarted}
    >
      {(form) => <RestoreForm target={target} backup={backup} {...form} />}
    </RestoreDialogButton>
  );
}
