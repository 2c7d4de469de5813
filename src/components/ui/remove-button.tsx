'use client';

import type { ReactNode } from 'react';
import { ConfirmButton } from './confirm-button';

/**
 * The small red "Remove" button of a list row, asking first: screen readers hear "Remove <item>";
 * the dialog is titled `title` and explains what removing does (`description`).
 */
export function RemoveButton({
  item,
  title,
  description,
  onConfirm,
}: {
  /** What is removed, read after "Remove" by screen readers only, e.g. the row's name. */
  item: string;
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
          Remove<span className="sr-only"> {item}</span>
        </>
      }
      title={title}
      description={description}
      confirmLabel="Remove"
      onConfirm={onConfirm}
    />
  );
}
