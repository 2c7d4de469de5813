import type { z } from 'zod';
import { CliError, EXIT } from './errors';

const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * Validates flags with a zod schema; every problem becomes one line naming its flag, exit code 2.
 * `labels` names keys that are not `--flags` (arguments), or '' to print the message alone.
 */
export function parseFlags<S extends z.ZodType>(
  schema: S,
  value: unknown,
  labels: Record<string, string> = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const label = key in labels ? labels[key] : key ? `--${kebab(key)}` : '';
    return label ? `${label}: ${issue.message}` : issue.message;
  });
  throw new CliError([...new Set(lines)].join('\n'), EXIT.usage);
}
