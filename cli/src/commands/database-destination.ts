import { destinationInput } from '../../../src/server/domains/backups/backup.schema';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say } from '../lib/output';
import { type Common, client, formatTime, type Inputs, parseFlags, projectOf } from './database';

export type DestinationFlags = {
  local?: boolean;
  s3?: boolean;
  path?: string;
  bucket?: string;
  endpoint?: string;
  region?: string;
  prefix?: string;
  pathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKeyStdin?: boolean;
};

const S3_ONLY = [
  'bucket',
  'endpoint',
  'region',
  'prefix',
  'pathStyle',
  'accessKeyId',
  'secretAccessKeyStdin',
] as const;
const flag = (key: string) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * `rise db destination add` flags → the destination input. The S3 key id comes from --access-key-id
 * or RISE_S3_ACCESS_KEY_ID; the secret from `secret` (read from stdin) or RISE_S3_SECRET_ACCESS_KEY,
 * never from the command line.
 */
export function destinationRequest(
  name: string,
  flags: DestinationFlags,
  env: Record<string, string | undefined>,
  secret?: string,
): Inputs['backup']['addDestination']['destination'] {
  if (Boolean(flags.local) === Boolean(flags.s3))
    throw new CliError('Say where backups go: --local [--path sub/dir] or --s3 --bucket <name>.', EXIT.usage);
  const labels = { name: '', secretAccessKey: 'secret access key', forcePathStyle: '--path-style' };
  if (flags.local) {
    const misplaced = S3_ONLY.filter((key) => flags[key] !== undefined && flags[key] !== false);
    if (misplaced.length)
      throw new CliError(`${misplaced.map(flag).join(', ')} only apply to --s3 destinations.`, EXIT.usage);
    return parseFlags(destinationInput, { kind: 'local', name, path: flags.path }, labels);
  }
  if (flags.path !== undefined)
    throw new CliError('--path is for --local destinations; S3 destinations take --prefix.', EXIT.usage);
  if (!flags.bucket) throw new CliError('--s3 needs --bucket <name>.', EXIT.usage);
  const accessKeyId = flags.accessKeyId ?? env.RISE_S3_ACCESS_KEY_ID;
  if (!accessKeyId)
    throw new CliError(
      'Give the S3 access key id with --access-key-id or RISE_S3_ACCESS_KEY_ID.',
      EXIT.usage,
    );
  const secretAccessKey = flags.secretAccessKeyStdin ? secret : env.RISE_S3_SECRET_ACCESS_KEY;
  if (!secretAccessKey)
    throw new CliError(
      flags.secretAccessKeyStdin
        ? 'Nothing arrived on stdin; pipe the secret access key in, e.g. `pass s3/secret | rise db destination add ...`.'
        : 'Set RISE_S3_SECRET_ACCESS_KEY, or pipe the secret in with --secret-access-key-stdin.',
      EXIT.usage,
    );
  return parseFlags(
    destinationInput,
    {
      kind: 's3',
      name,
      bucket: flags.bucket,
      endpoint: flags.endpoint,
      region: flags.region,
      prefix: flags.prefix,
      forcePathStyle: flags.pathStyle ?? false,
      accessKeyId,
      secretAccessKey,
    },
    labels,
  );
}

/** All of stdin, without the trailing newline (`echo secret | ...`). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) say('Paste the secret access key, then press Enter and Ctrl+D:');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export async function addDestination(name: string, options: Common & DestinationFlags) {
  // Validate the flags before waiting on stdin, so mistakes show at once.
  destinationRequest(name, options, process.env, options.secretAccessKeyStdin ? 'pending' : undefined);
  const secret = options.secretAccessKeyStdin ? await readStdin() : undefined;
  const destination = destinationRequest(name, options, process.env, secret);
  const project = projectOf(options);
  const created = await client(options).backup.addDestination.mutate({ project, destination });
  if (options.output === 'json') return printJson(created);
  say(
    `Added ${created.kind} backup destination '${created.name}' to '${project}': ${created.location}. Use it: rise db backup <db> --destination ${created.name}`,
  );
}

export async function listDestinations(options: Common) {
  const project = projectOf(options);
  const destinations = await client(options).backup.destinations.query({ project });
  if (options.output === 'json') return printJson(destinations);
  if (destinations.length === 0)
    return say(
      `No backup destinations in '${project}' yet; 'local' is created on the first backup. Add one: rise db destination add offsite --s3 --bucket my-backups`,
    );
  printTable(
    [
      { title: 'NAME', width: 16 },
      { title: 'KIND', width: 7 },
      { title: 'LOCATION', width: 40 },
      { title: 'CREATED', width: 0 },
    ],
    destinations.map((d) => [d.name, d.kind, d.location, formatTime(d.createdAt)]),
  );
}

export async function removeDestination(name: string, options: Common) {
  const project = projectOf(options);
  const result = await client(options).backup.removeDestination.mutate({ project, name });
  if (options.output === 'json') return printJson(result);
  say(`Removed backup destination '${result.name}' from '${project}'.`);
}
