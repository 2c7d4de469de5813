import { CliError, EXIT } from '../../lib/errors';

/** `KEY=value` pairs from the command line. */
export function parseAssignments(pairs: string[]): { key: string; value: string }[] {
  return pairs.map((pair) => {
    const index = pair.indexOf('=');
    if (index <= 0) throw new CliError(`Expected KEY=value, got '${pair}'.`, EXIT.usage);
    return { key: pair.slice(0, index), value: pair.slice(index + 1) };
  });
}
