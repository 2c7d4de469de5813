import { z } from 'zod';

const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type InvalidText = { path: (string | number)[]; problem: string };

function problemOf(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (invalid Unicode)';
  return null;
}

/**
 * The first string (value or object key) in `value` that no database or log can store as text: NUL
 * characters and lone surrogates. PostgreSQL refuses both, so they must fail as bad input, not later.
 */
export function findInvalidText(value: unknown, path: (string | number)[] = []): InvalidText | null {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem ? { path, problem } : null;
  }
  if (path.length >= MAX_DEPTH || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findInvalidText(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return null;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = problemOf(key);
    if (keyProblem) return { path: [...path, key], problem: `has a key that ${keyProblem}` };
    const found = findInvalidText(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Any input whose text PostgreSQL can store; applied to every API input before its own schema. */
export const storableTextInput = z.unknown().superRefine((value, ctx) => {
  const found = findInvalidText(value);
  if (!found) return;
  const where = found.path.length > 0 ? found.path.join('.') : 'the input';
  ctx.addIssue({
    code: 'custom',
    path: found.path,
    message: `${where} ${found.problem}; remove it and try again.`,
  });
});
