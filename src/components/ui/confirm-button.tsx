'use client';

import { type ReactNode, useState } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';
import { DialogActions } from './dialog-actions';
import { ErrorAlert } from './error-alert';

/**
 * A button that asks before it acts. The dialog names what will happen; `onConfirm` may throw, and its
 * message is shown in the dialog instead of closing it.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel = 'Confirm',
  variant = 'secondary',
  small = false,
  disabled = false,
  onConfirm,
}: {
  label: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  small?: boolean;
  disabled?: boolean;
  onConfirm: () => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button variant={variant} small={small} disabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={title}>
        <div className="text-sm text-zinc-700 dark:text-zinc-300">{description}</div>
        <ErrorAlert error={error} />
        <DialogActions onCancel={() => setOpen(false)}>
          <Button variant={variant === 'danger' ? 'danger' : 'primary'} disabled={busy} onClick={confirm}>
            {busy ? 'Working…' : confirmLabel}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
