import { envVarKey } from './env-var.schema';

export type ParsedDotenv = { vars: { key: string; value: string }[]; errors: string[] };

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  // Unquoted: a ` #` starts a comment, as in most .env dialects.
  const comment = value.search(/\s#/);
  return comment === -1 ? value : value.slice(0, comment).trimEnd();
}

/**
 * `KEY=value` lines of a .env file: blank lines and `#` comments are skipped, `export ` is allowed,
 * quotes around a value are removed. Values span one line. A later line wins over an earlier one.
 */
export function parseDotenv(text: string): ParsedDotenv {
  const byKey = new Map<string, string>();
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const assignment = trimmed.replace(/^export\s+/, '');
    const equals = assignment.indexOf('=');
    if (equals <= 0) {
      errors.push(`Line ${index + 1}: expected KEY=value.`);
      return;
    }
    const key = assignment.slice(0, equals).trim();
    if (!envVarKey.safeParse(key).success) {
      errors.push(`Line ${index + 1}: '${key}' is not a valid name (letters, digits and underscores).`);
      return;
    }
    byKey.set(key, unquote(assignment.slice(equals + 1)));
  });
  return { vars: [...byKey].map(([key, value]) => ({ key, value })), errors };
}
