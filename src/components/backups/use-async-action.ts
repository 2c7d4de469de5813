import { useState } from 'react';

/**
 * The busy and error state of a form whose submit calls `action` (a mutation's mutateAsync): the form
 * stays usable for several owners (a project's database, the platform) that each bring their own API.
 */
export function useAsyncAction<Input>(action: (input: Input) => Promise<unknown>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run(input: Input): Promise<boolean> {
    setPending(true);
    setError(null);
    try {
      await action(input);
      return true;
    } catch (cause) {
      setError(cause);
      return false;
    } finally {
      setPending(false);
    }
  }
  return { pending, error, run, reset: () => setError(null) };
}

/** A number field's value: null when empty, NaN when not a number (for the form to complain). */
export function optionalNumber(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}
