import { Option } from 'commander';
import { z } from 'zod';
import { DATABASE_ENGINES, databaseName, envPrefix } from '../../../../src/shared/databases/database.schema';
import type { ApiInputs } from '../../lib/api';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { parseFlags } from '../../lib/flags';
import { printJson, say } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { memoryMb } from '../../lib/rise-toml';
import { sharedOptions } from '../../lib/shared-options';
import { describeEnv } from './describe-env';
import { waitFor } from './wait-for';

/** `--memory 256` (MiB) or with a unit: 512M, 1G. */
const memoryFlag = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(M|Mi|MB|G|Gi|GB)?$/i, { message: 'expected MiB such as 256, or a size like 1G' })
  .transform((value) => (/^\d+$/.test(value) ? Number(value) : memoryMb(value)!))
  .pipe(z.number().int().min(32, { message: 'at least 32 MiB' }).max(1_048_576));

const cpuFlag = z.coerce
  .number({ message: 'expected a number of CPUs such as 0.5' })
  .positive({ message: 'expected a number of CPUs greater than 0, such as 0.5' })
  .max(64, { message: 'at most 64 CPUs' });

export type CreateFlags = {
  engine: string;
  envPrefix?: string;
  /** false with --no-link. */
  link?: boolean;
  cpu?: string;
  memory?: string;
};

/** `rise db create` flags → database.create input (without the project). */
export function createRequest(
  name: string,
  flags: CreateFlags,
): Omit<ApiInputs['database']['create'], 'project'> {
  if (flags.link === false && flags.envPrefix !== undefined)
    throw new CliError('Use either --env-prefix or --no-link, not both.', EXIT.usage);
  const parsed = parseFlags(
    z.object({
      name: databaseName,
      engine: z.enum(DATABASE_ENGINES, { message: `expected one of ${DATABASE_ENGINES.join(', ')}` }),
      envPrefix: envPrefix.optional(),
      cpu: cpuFlag.optional(),
      memory: memoryFlag.optional(),
    }),
    { name, engine: flags.engine, envPrefix: flags.envPrefix, cpu: flags.cpu, memory: flags.memory },
    { name: '' },
  );
  return {
    name: parsed.name,
    engine: parsed.engine,
    // undefined lets the server pick the engine's default (DATABASE / REDIS).
    envPrefix: flags.link === false ? null : parsed.envPrefix,
    cpuLimit: parsed.cpu,
    memoryLimitMb: parsed.memory,
  };
}

export const create = defineCommand<
  ProjectArgs & CreateFlags & { name: string; wait?: boolean; timeout: number }
>({
  name: 'create',
  aliases: ['c', 'new'],
  summary: 'create a database and link it to the project',
  arguments: [{ name: 'name', required: true }],
  project: {},
  options: [
    new Option('--engine <engine>', 'database engine').choices(DATABASE_ENGINES).makeOptionMandatory(),
    new Option(
      '--env-prefix <prefix>',
      'env var prefix, e.g. DATABASE gives DATABASE_URL (default: by engine)',
    ),
    new Option('--no-link', 'do not give the project its env vars'),
    new Option('--cpu <cpus>', 'CPU limit, e.g. 0.5'),
    new Option('--memory <mib>', 'memory limit in MiB (or 1G)'),
    sharedOptions.wait('wait until it runs'),
    sharedOptions.timeoutSeconds(600),
  ],
  async run(options, ctx) {
    const request = createRequest(options.name, options);
    const project = projectOf(options);
    const api = ctx.api();
    let database = await api.database.create.mutate({ project, ...request });
    if (options.wait && database.status !== 'running') {
      database = await waitFor(
        `Starting ${database.engine} database '${database.name}' ...`,
        options.timeout,
        async () => {
          const current = await api.database.get.query({ project, database: database.name });
          return current.status === 'running' || current.status === 'failed' ? current : undefined;
        },
        `Still provisioning after ${options.timeout} s; check it with: rise db show ${database.name}`,
      );
      if (database.status === 'failed') {
        if (options.output === 'json') printJson(database);
        throw new CliError(`Database '${database.name}' failed: ${database.error ?? 'no details'}`);
      }
    }
    if (options.output === 'json') {
      printJson(database);
      return EXIT.ok;
    }
    say(
      `Created ${database.engine} database '${database.name}' in '${project}' at ${database.host}:${database.port} (${database.status}).`,
    );
    say(
      database.envPrefix
        ? `The project gets ${describeEnv(database)} — redeploy to apply.`
        : `Not linked to the project; link it with: rise db link ${database.name}`,
    );
    return EXIT.ok;
  },
});
