import type { ReactNode } from 'react';
import { DialogActions } from './dialog-actions';
import { ErrorAlert } from './error-alert';
import { SubmitButton } from './submit-button';

/**
 * The end of a form: the error of its last submission, then its submit button (`children`), after
 * Cancel when the form is in a dialog (`onCancel`).
 */
export function FormActions({
  error,
  onCancel,
  pending,
  pendingLabel,
  variant,
  disabled,
  children,
}: {
  error: unknown;
  onCancel?: () => void;
  pending: boolean;
  pendingLabel: string;
  variant?: 'primary' | 'danger';
  disabled?: boolean;
  children: ReactNode;
}) {
  const submit = (
    <SubmitButton variant={variant} pending={pending} pendingLabel={pendingLabel} disabled={disabled}>
      {children}
    </SubmitButton>
  );
  return (
    <>
      <ErrorAlert error={error} />
      {onCancel ? <DialogActions onCancel={onCancel}>{submit}</DialogActions> : <div>{submit}</div>}
    </>
  );
}
