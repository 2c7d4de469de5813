import { InvalidArgumentError } from 'commander';
import { z } from 'zod';

/** Deployment ids as the API issues them; project names start with a letter, so the two never clash. */
export const deploymentIdArgument = z.string().regex(/^\d{8}-\d{4}-[a-z0-9]{4}$/, {
  message: 'deployment ids look like 20261122-0132-k3f9',
});

/** Project names are DNS labels, as the API requires. */
export const projectNameArgument = z.string().regex(/^[a-z][a-z0-9-]{1,61}[a-z0-9]$/, {
  message: 'project names are DNS labels: a-z, 0-9 and -, 3 to 63 characters, starting with a letter',
});

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** A duration as seconds: `90`, `90s`, `5m` or `1h` (at most a day). */
export const durationSeconds = z
  .string()
  .trim()
  .regex(/^\d+[smh]?$/, { message: 'expected a duration like 90, 90s, 5m or 1h' })
  .transform((value) => {
    const unit = (/[smh]$/.exec(value)?.[0] ?? 's') as keyof typeof UNIT_SECONDS;
    return Number.parseInt(value, 10) * UNIT_SECONDS[unit];
  })
  .pipe(
    z
      .number()
      .int()
      .min(1, { message: 'must be at least 1 second' })
      .max(86_400, { message: 'must be at most 24h' }),
  );

/** A commander argument parser backed by a zod schema: the first issue becomes the usage error. */
export function zodParser<T>(schema: z.ZodType<T, string>): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'invalid value');
    return parsed.data;
  };
}

/**
 * A commander argument parser that checks the value against a zod schema and keeps it as typed: for
 * values the API parses itself (`--expire 7d` goes to the server as `7d`).
 */
export function zodChecked(schema: z.ZodType<unknown, string>): (value: string) => string {
  const parse = zodParser(schema);
  return (value) => {
    parse(value);
    return value;
  };
}
