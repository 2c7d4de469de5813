import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';
import { SubmitButton } from './submit-button';

/**
 * The end of a form that stays on the page after saving: the error of its last submission, then its
 * submit button (`children`, "Saving…" while `pending`) with what was saved (`saved`) announced beside it.
 */
export function SaveActions({
  error,
  pending,
  saved,
  children,
}: {
  error: unknown;
  pending: boolean;
  saved: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <ErrorAlert error={error} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          {children}
        </SubmitButton>
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {saved}
        </p>
      </div>
    </>
  );
}
