import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson } from '../../lib/output';
import { projectOf } from '../../lib/project';

export const url = defineCommand<ProjectArgs & { name: string }>({
  name: 'url',
  summary: 'print the connection URL, password included (audited)',
  arguments: [{ name: 'name', required: true }],
  project: {},
  async run(options, ctx) {
    const project = projectOf(options);
    const { url } = await ctx.api().database.reveal.mutate({ project, database: options.name });
    if (options.output === 'json') printJson({ url });
    else process.stdout.write(`${url}\n`);
    return EXIT.ok;
  },
});
