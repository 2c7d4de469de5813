import { Option } from 'commander';
import { destinationInput } from '../../../../../src/shared/backups/backup.schema';
import type { ApiInputs } from '../../../lib/api';
import { defineCommand, type ProjectArgs } from '../../../lib/command-spec';
import { CliError, EXIT } from '../../../lib/errors';
import { parseFlags } from '../../../lib/flags';
import { printJson, say } from '../../../lib/output';
import { projectOf } from '../../../lib/project';
import { readAll } from '../../../lib/read-all';

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
): ApiInputs['backup']['addDestination']['destination'] {
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

/** The secret access key from stdin (`pass s3/secret | rise db destination add ...`). */
function readSecretFromStdin(): Promise<string> {
  if (process.stdin.isTTY) say('Paste the secret access key, then press Enter and Ctrl+D:');
  return readAll(process.stdin);
}

export const add = defineCommand<ProjectArgs & DestinationFlags & { destName: string }>({
  name: 'add',
  summary: 'a directory on the Rise host (--local) or an S3 bucket (--s3)',
  arguments: [{ name: 'dest-name', required: true }],
  project: {},
  options: [
    new Option('--local', "a directory under Rise's backup directory"),
    new Option('--path <sub/dir>', '--local: sub-directory (default: the backup directory itself)'),
    new Option('--s3', 'an S3-compatible bucket'),
    new Option('--bucket <name>', '--s3: bucket name'),
    new Option('--endpoint <url>', '--s3: endpoint URL (default: AWS)'),
    new Option('--region <region>', '--s3: region (default: us-east-1)'),
    new Option('--prefix <prefix>', '--s3: key prefix inside the bucket'),
    new Option('--path-style', '--s3: path-style URLs (MinIO and most non-AWS services)'),
    new Option('--access-key-id <id>', '--s3: access key id (default: RISE_S3_ACCESS_KEY_ID)'),
    new Option(
      '--secret-access-key-stdin',
      '--s3: read the secret access key from stdin (default: RISE_S3_SECRET_ACCESS_KEY)',
    ),
  ],
  async run(options, ctx) {
    const name = options.destName;
    // Validate the flags before waiting on stdin, so mistakes show at once.
    destinationRequest(name, options, process.env, options.secretAccessKeyStdin ? 'pending' : undefined);
    const secret = options.secretAccessKeyStdin ? await readSecretFromStdin() : undefined;
    const destination = destinationRequest(name, options, process.env, secret);
    const project = projectOf(options);
    const created = await ctx.api().backup.addDestination.mutate({ project, destination });
    if (options.output === 'json') printJson(created);
    else
      say(
        `Added ${created.kind} backup destination '${created.name}' to '${project}': ${created.location}. Use it: rise db backup <db> --destination ${created.name}`,
      );
    return EXIT.ok;
  },
});
