import type { ReactNode } from 'react';
import { inputClass } from './button';
import { Field } from './field';

/** A labelled select (see Field) of the `<option>`s in `children`, reporting the chosen value. */
export function SelectField<Value extends string>({
  label,
  hint,
  value,
  onChange,
  children,
}: {
  label: string;
  hint?: ReactNode;
  value: Value;
  /** The options' values are the `Value`s the caller offers, hence the cast of the DOM's string. */
  onChange: (value: Value) => void;
  children: ReactNode;
}) {
  return (
    <Field label={label} hint={hint}>
      {(control) => (
        <select
          {...control}
          value={value}
          onChange={(event) => onChange(event.target.value as Value)}
          className={inputClass}
        >
          {children}
        </select>
      )}
    </Field>
  );
}
