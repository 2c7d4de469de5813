import type { z } from 'zod';

/**
 * What is wrong with a typed value by the API's own schema: the first issue's message as the user
 * types, and `required` for an empty value, but only once the form has been submitted.
 */
export function schemaError(
  schema: z.ZodType,
  value: string,
  { submitted, required }: { submitted: boolean; required: string },
): string | null {
  if (value === '') return submitted ? required : null;
  const parsed = schema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Invalid value.');
}

/** "At most … characters." for free text (a name, a title) longer than the API accepts. */
export function tooLongError(value: string, max = 100): string | null {
  return value.trim().length > max ? `At most ${max} characters.` : null;
}
