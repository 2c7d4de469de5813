import type { InputHTMLAttributes, ReactNode } from 'react';
import { inputClass } from './button';
import { Field } from './field';

type InputAttributes = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onChange' | 'className' | 'aria-describedby' | 'aria-invalid'
>;

const VERBATIM = { autoComplete: 'off', autoCapitalize: 'none', spellCheck: false } as const;

/**
 * A labelled one-line input (see Field) that reports the typed text. `verbatim` is for names, hosts
 * and other identifiers: no autocomplete, autocapitalisation or spellcheck; `mono` shows the text
 * monospaced. Other input attributes (type, placeholder, min, …) are passed on.
 */
export function TextField({
  label,
  hint,
  error,
  value,
  onChange,
  verbatim = false,
  mono = false,
  ...input
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  value: string;
  onChange: (value: string) => void;
  verbatim?: boolean;
  mono?: boolean;
} & InputAttributes) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <input
          {...control}
          {...(verbatim ? VERBATIM : {})}
          {...input}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={mono ? `${inputClass} font-mono` : inputClass}
        />
      )}
    </Field>
  );
}
