import { CliError, EXIT } from '../../lib/errors';
import { projectArgument } from '../../lib/project';

/**
 * `rise sa show|rm [PROJECT] ID`: the project, and the service account (its id or its name). One
 * positional alone is the service account, the project then comes from .rise.toml.
 */
export function accountArguments(
  first: string | undefined,
  second: string | undefined,
  verb: string,
  dir = process.cwd(),
): { project: string; account: string } {
  if (second !== undefined) return { project: projectArgument(first, dir), account: second };
  if (first === undefined)
    throw new CliError(
      `Name the service account (its id or name): rise sa ${verb} PROJECT ID; list them with rise sa ls PROJECT.`,
      EXIT.usage,
    );
  return { project: projectArgument(undefined, dir), account: first };
}

/** Any positional after -p/--project is the service account. */
export const isAccountReference = (_value: string) => true;
