import { type ReactNode, useId } from 'react';

/** A checkbox with its label beside it and an optional hint below, as the env var form has it. */
export function CheckboxField({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1 text-sm">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
          aria-describedby={hint ? `${id}-hint` : undefined}
          className="size-4 rounded border-zinc-300 text-indigo-600 focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700"
        />
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
      </div>
      {hint && (
        <span id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </span>
      )}
    </div>
  );
}
