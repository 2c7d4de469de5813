import type { ReactNode } from 'react';
import { Button } from './button';

/** The bottom row of a dialog: Cancel, then its main action (`children`), aligned right. */
export function DialogActions({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  return (
    <div className="flex justify-end gap-2">
      <Button onClick={onCancel}>Cancel</Button>
      {children}
    </div>
  );
}
