/**
 * Inputs derived from a procedure's zod schemas: a plausible value for every field (named values
 * for the fields that name existing things), so that a hostile string in one field reaches as deep
 * into the procedure as the other fields allow.
 */
type ZodLike = { _zod: { def: Record<string, unknown> & { type: string } } };

export type Names = Record<string, string>;

const DEFAULT_STRINGS: Names = {
  hostname: 'app.example.com',
  image: 'rise-test/app:v1',
  cron: '0 3 * * *',
  key: 'FUZZ_KEY',
  envPrefix: 'FUZZ_DB',
  clientName: 'fuzz',
  issuer: 'https://token.actions.githubusercontent.com',
};

export function sampleInput(schema: unknown, names: Names, field = ''): unknown {
  const def = (schema as ZodLike)._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return sampleInput(def.innerType, names, field);
    case 'pipe':
      return sampleInput(def.in, names, field);
    case 'lazy':
      return sampleInput((def.getter as () => unknown)(), names, field);
    case 'object':
      return Object.fromEntries(
        Object.entries(def.shape as Record<string, unknown>).map(([key, value]) => [
          key,
          sampleInput(value, names, key),
        ]),
      );
    case 'array':
      return [sampleInput(def.element, names, field)];
    case 'record':
      return { [field === 'claims' ? 'repository' : 'fuzz']: sampleInput(def.valueType, names, field) };
    case 'union':
      return sampleInput((def.options as unknown[])[0], names, field);
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)[0];
    case 'literal':
      return (def.values as unknown[])[0];
    case 'number':
    case 'int':
      return 1;
    case 'bigint':
      return 1n;
    case 'boolean':
      return false;
    case 'date':
      return new Date();
    case 'string':
      return names[field] ?? DEFAULT_STRINGS[field] ?? 'fuzz';
    default:
      return names[field] ?? 'fuzz';
  }
}

/** Paths of the string values in `value` (object keys of records included as their own entries). */
export function stringPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  return [];
}

/** A copy of `value` with the string at `path` replaced. */
export function withString(value: unknown, path: (string | number)[], replacement: string): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head!] = withString(copy[head!], rest, replacement);
  return copy;
}
