'use client';

import { type ReactNode, useState } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';

/**
 * A button opening a dialog titled `title`; `children` renders its content (built afresh each time
 * it opens) and gets `close`.
 */
export function DialogButton({
  label,
  title,
  variant,
  small,
  children,
}: {
  label: ReactNode;
  title: string;
  variant?: 'primary' | 'secondary' | 'danger';
  small?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <Button variant={variant} small={small} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Dialog open={open} onClose={close} title={title}>
        {children(close)}
      </Dialog>
    </>
  );
}
