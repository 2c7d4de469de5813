import { expect } from 'vitest';
import { CliError } from '../errors';

/** The CliError a command's run fails with (fails the test if it fails with none). */
export async function cliError(run: Promise<number> | number): Promise<CliError> {
  const error = await Promise.resolve(run).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}
