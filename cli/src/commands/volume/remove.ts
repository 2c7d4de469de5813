import { volumeName } from '../../../../src/shared/volumes/volume.schema';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const remove = defineCommand<ProjectArgs & { name: string }>({
  name: 'rm',
  aliases: ['remove', 'delete'],
  summary: 'delete a volume and its data (the project must be stopped)',
  arguments: [{ name: 'name', required: true, schema: volumeName }],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const volumes = await ctx.api().volume.delete.mutate({ project, name: options.name });
    if (options.output === 'json') printJson(volumes);
    else say(`Deleted volume ${options.name} of '${project}'; its data is being removed.`);
    return EXIT.ok;
  },
});
