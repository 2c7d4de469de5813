'use client';

import { useState } from 'react';
import type { BackupTarget } from '@/components/backups/backup-target';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
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
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button small onClick={() => setOpen(true)}>
        Restore<span className="sr-only"> this backup</span>
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Restore backup">
        <RestoreForm
          target={target}
          backup={backup}
          onCancel={() => setOpen(false)}
          onStarted={(restoreId) => {
            setOpen(false);
            onStarted(restoreId);
          }}
        />
      </Dialog>
    </>
  );
}
