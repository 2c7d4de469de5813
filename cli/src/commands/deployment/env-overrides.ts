import { envVarKey } from '../../../../src/shared/env-vars/env-var.schema';
import { parseDotenv } from '../../../../src/shared/env-vars/parse-dotenv';
import { CliError, EXIT } from '../../lib/errors';

export type EnvOverrideFlags = { env?: string[]; envFile?: string; secretEnv?: string[] };
export type EnvOverride = { key: string; value: string; secret: boolean };

const keyProblem = (key: string) => envVarKey.safeParse(key).error?.issues[0]?.message;

/** One `-e KEY=value`; a missing `=` or a bad name is a usage error quoting the flag. */
function parseEnvFlag(pair: string): { key: string; value: string } {
  const equals = pair.indexOf('=');
  if (equals <= 0)
    throw new CliError(`-e '${pair}': expected KEY=value (e.g. -e DATABASE_URL=postgres://…).`, EXIT.usage);
  const key = pair.slice(0, equals);
  const problem = keyProblem(key);
  if (problem)
    throw new CliError(`-e '${pair}': '${key}' is not a valid env var name. ${problem}`, EXIT.usage);
  return { key, value: pair.slice(equals + 1) };
}

/**
 * The env overrides of `rise d c`: the `--env-file` first, `-e` winning over it; the keys named by
 * `--secret-env` are stored encrypted and never shown again (each must be one of the overrides).
 * `readFile` returns the file's text (or throws a CliError naming it).
 */
export function envOverridesFrom(flags: EnvOverrideFlags, readFile: (path: string) => string): EnvOverride[] {
  const values = new Map<string, string>();
  if (flags.envFile !== undefined) {
    const parsed = parseDotenv(readFile(flags.envFile));
    if (parsed.errors.length > 0) {
      throw new CliError(
        parsed.errors.map((error) => `--env-file ${flags.envFile}: ${error}`).join('\n'),
        EXIT.usage,
      );
    }
    for (const { key, value } of parsed.vars) values.set(key, value);
  }
  for (const pair of flags.env ?? []) {
    const { key, value } = parseEnvFlag(pair);
    values.set(key, value);
  }
  const secret = new Set(flags.secretEnv ?? []);
  for (const key of secret) {
    if (!values.has(key)) {
      throw new CliError(
        `--secret-env ${key}: no override named ${key}; set it with -e ${key}=… or in the --env-file.`,
        EXIT.usage,
      );
    }
  }
  return [...values].map(([key, value]) => ({ key, value, secret: secret.has(key) }));
}
