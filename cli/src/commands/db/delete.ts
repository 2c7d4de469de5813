import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';
import { confirmDestructive } from './confirm';

export const remove = defineCommand<ProjectArgs & { name: string; yes?: boolean }>({
  name: 'delete',
  aliases: ['del', 'rm'],
  summary: 'delete a database and its data',
  arguments: [{ name: 'name', required: true }],
  project: {},
  options: [sharedOptions.yes('do not ask (required when stdin is not a terminal)')],
  async run(options, ctx) {
    const { name } = options;
    const project = projectOf(options);
    await confirmDestructive(name, `delete database '${name}' of '${project}' and all its data`, options.yes);
    const result = await ctx.api().database.delete.mutate({ project, database: name });
    if (options.output === 'json') printJson(result);
    else
      say(
        `Deleted database '${result.name}'; its container and data are being removed. Redeploy '${project}' if it was linked.`,
      );
    return EXIT.ok;
  },
});
