'use client';

import type { BackupTarget } from '@/components/backups/backup-target';
import { DialogButton } from '@/components/ui/dialog-button';
import type { BackupView } from '@/shared/backups/backup.schema';
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
    <DialogButton
      small
      label={
        <>
          Restore<span className="sr-only"> this backup</span>
        </>
      }
      title="Restore backup"
    >
      {(close) => (
        <RestoreForm
          target={target}
          backup={backup}
          onCancel={close}
          onStarted={(restoreId) => {
            close();
            onStarted(restoreId);
          }}
        />
      )}
    </DialogButton>
  );
}
