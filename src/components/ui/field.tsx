import { type ReactNode, useId } from 'react';

type ControlProps = { id: string; 'aria-describedby': string; 'aria-invalid': boolean };

/**
 * A labelled form control with an optional hint and an error the screen reader announces. The control
 * is rendered by `children`, which receives the id and aria attributes to spread onto it.
 */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const noteId = `${id}-note`;
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {children({ id, 'aria-describedby': noteId, 'aria-invalid': Boolean(error) })}
      {error ? (
        <span id={noteId} role="alert" className="text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : (
        <span id={noteId} className="text-xs text-zinc-500">
          {hint}
        </span>
      )}
    </div>
  );
}
