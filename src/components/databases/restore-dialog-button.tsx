'use client';

import type { ReactNode } from 'react';
import { DialogButton } from '@/components/ui/dialog-button';

type RestoreFormProps = { onCancel: () => void; onStarted: (restoreId: string) => void };

/**
 * A small button opening a restore dialog: `children` renders the form with its `onCancel` and
 * `onStarted`, which close the dialog (the latter then tells `onStarted` which restore started).
 */
export function RestoreDialogButton({
  label,
  title,
  onStarted,
  children,
}: {
  label: ReactNode;
  title: string;
  onStarted: (restoreId: string) => void;
  children: (form: RestoreFormProps) => ReactNode;
}) {
  return (
    <DialogButton small label={label} title={title}>
      {(close) =>
        children({
          onCancel: close,
          onStarted: (restoreId) => {
            close();
            onStarted(restoreId);
          },
        })
      }
    </DialogButton>
  );
}
