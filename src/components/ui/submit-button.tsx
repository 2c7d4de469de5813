import type { ReactNode } from 'react';
import { Button } from './button';

/** A form's submit button, disabled and saying what it does (`pendingLabel`) while `pending`. */
export function SubmitButton({
  pending,
  pendingLabel,
  disabled = false,
  variant = 'primary',
  className,
  children,
}: {
  pending: boolean;
  pendingLabel: string;
  disabled?: boolean;
  variant?: 'primary' | 'secondary' | 'danger';
  className?: string;
  children: ReactNode;
}) {
  return (
    <Button type="submit" variant={variant} disabled={pending || disabled} className={className}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
