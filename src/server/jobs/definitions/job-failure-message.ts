import { z } from 'zod';

// pg-boss stores why a job failed as its output: `{ value: { message } }` when its supervisor failed it
// (expiry, missed heartbeat), the serialised error (`{ message, stack }`) when the handler threw.
const output = z.union([
  z.object({ value: z.object({ message: z.string() }) }).transform((failure) => failure.value.message),
  z.object({ message: z.string() }).transform((failure) => failure.message),
]);

/** The message of a failed job's output, or `unknown error`. */
export function failureMessage(value: unknown): string {
  const parsed = output.safeParse(value);
  return parsed.success ? parsed.data : 'unknown error';
}
