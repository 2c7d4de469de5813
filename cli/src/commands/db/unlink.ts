import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectOf } from '../../lib/project';

export const unlink = defineCommand<ProjectArgs & { name: string }>({
  name: 'unlink',
  summary: 'take its env vars away from the project (redeploy to apply)',
  arguments: [{ name: 'name', required: true }],
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const database = await ctx
      .api()
      .database.link.mutate({ project, database: options.name, envPrefix: null });
    if (options.output === 'json') printJson(database);
    else say(`Unlinked '${database.name}' from '${project}'; its env vars go away at the next deployment.`);
    return EXIT.ok;
  },
});
