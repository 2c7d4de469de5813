'use client';

import type { ReactNode } from 'react';
import { ConfirmButton } from './confirm-button';

/**
 * The small red "Remove" (or `action`) button of a list row, asking first: screen readers hear
 * "Remove <item>"; the dialog is titled `title` and explains what removing does (`description`).
 */
export function RemoveButton({
  item,
  action = 'Remove',
  title,
  description,
  onConfirm,
}: {
  /** What is removed, read after the action by screen readers only, e.g. the row's name. */
  item: string;
  /** The button's and the confirmation's label, e.g. "Stop". */
  action?: string;
  title: string;
  description: ReactNode;
  onConfirm: () => Promise<unknown>;
}) {
  return (
    <ConfirmButton
      small
      variant="danger"
      label={
        <>
          {action}
          <span className="sr-only"> {item}</span>
        </>
      }
      title={title}
      description={description}
      confirmLabel={action}
      onConfirm={onConfirm}
    />
  );
}
