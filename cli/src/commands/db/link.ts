import { Option } from 'commander';
import { z } from 'zod';
import { DEFAULT_ENV_PREFIX } from '../../../../src/shared/databases/connection-env';
import { envPrefix } from '../../../../src/shared/databases/database.schema';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { parseFlags } from '../../lib/flags';
import { printJson, say } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { describeEnv } from './describe-env';

/** The prefix `rise db link` sets: the flag, else the engine's default. */
export function linkPrefix(engine: keyof typeof DEFAULT_ENV_PREFIX, flag: string | undefined): string {
  if (flag === undefined) return DEFAULT_ENV_PREFIX[engine];
  return parseFlags(z.object({ envPrefix }), { envPrefix: flag }).envPrefix;
}

export const link = defineCommand<ProjectArgs & { name: string; envPrefix?: string }>({
  name: 'link',
  summary: 'give the project its env vars (redeploy to apply)',
  arguments: [{ name: 'name', required: true }],
  project: {},
  options: [new Option('--env-prefix <prefix>', 'default: DATABASE, or REDIS for redis')],
  async run(options, ctx) {
    const { name } = options;
    const project = projectOf(options);
    const api = ctx.api();
    const prefix =
      options.envPrefix === undefined
        ? linkPrefix((await api.database.get.query({ project, database: name })).engine, undefined)
        : linkPrefix('postgres', options.envPrefix);
    const database = await api.database.link.mutate({ project, database: name, envPrefix: prefix });
    if (options.output === 'json') printJson(database);
    else say(`Linked '${database.name}' to '${project}': ${describeEnv(database)} — redeploy to apply.`);
    return EXIT.ok;
  },
});
