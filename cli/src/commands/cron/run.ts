import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

/** `rise cron run PROJECT NAME`: runs a cron job now, outside its schedule. */
export const run = defineCommand<ProjectArgs & { name: string }>({
  name: 'run',
  summary: 'run a cron job now (its output: rise cron runs)',
  project: { argument: 'optional' },
  arguments: [{ name: 'name', required: true, description: 'the cron job' }],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const queued = await ctx.api().cron.run.mutate({ project, name: options.name });
    if (options.output === 'json') printJson(queued);
    else say(`Queued "${options.name}"; see it with: rise cron runs ${project} ${options.name}`);
    return EXIT.ok;
  },
});
