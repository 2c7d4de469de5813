import { defineCommand, type ProjectArgs } from '../../../lib/command-spec';
import { EXIT } from '../../../lib/errors';
import { printJson, say } from '../../../lib/output';
import { projectOf } from '../../../lib/project';

export const remove = defineCommand<ProjectArgs & { destName: string }>({
  name: 'remove',
  aliases: ['rm', 'del'],
  summary: 'remove a destination no schedule or backup uses',
  arguments: [{ name: 'dest-name', required: true }],
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const result = await ctx.api().backup.removeDestination.mutate({ project, name: options.destName });
    if (options.output === 'json') printJson(result);
    else say(`Removed backup destination '${result.name}' from '${project}'.`);
    return EXIT.ok;
  },
});
