import { InvalidArgumentError, Option } from 'commander';

/** A commander parser for counts: a whole number ≥ 0, else a usage error. */
export const wholeNumber = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number');
  return number;
};

/** `--add a --add b` → ['a', 'b']. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The options many commands share, made in one place so their flags, help and defaults agree. */
export const sharedOptions = {
  url: () =>
    new Option('--url <url>', 'Rise URL (default: RISE_URL, the stored login, or http://localhost:3000)'),
  output: () =>
    new Option('-o, --output <format>', 'table or json').choices(['table', 'json']).default('table'),
  project: (description = 'the project (default: from .rise.toml)') =>
    new Option('-p, --project <name>', description),
  /** `--limit <n>`; without a default, "all". */
  limit: (description: string, defaultValue?: number) => {
    const option = new Option('--limit <n>', description).argParser(wholeNumber);
    return defaultValue === undefined ? option : option.default(defaultValue);
  },
  yes: (description: string) => new Option('-y, --yes', description),
  wait: (description: string) => new Option('--wait', description).default(false),
  /** `--timeout <seconds>` as a plain count (the db commands' waits). */
  timeoutSeconds: (defaultValue: number) =>
    new Option('--timeout <seconds>', 'give up waiting after').argParser(wholeNumber).default(defaultValue),
  follow: (description: string) => new Option('-f, --follow', description).default(false),
} as const;
