import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

/** `rise d start [PROJECT]`: run the project again from its latest image (undoes `rise d stop`). */
export const start = defineCommand<ProjectArgs>({
  name: 'start',
  summary: 'run a stopped project again from its latest image (a new deployment)',
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const deployment = await ctx.api().deployment.start.mutate({ project });
    if (options.output === 'json') printJson(deployment);
    else
      say(
        `Starting '${project}' from ${deployment.image ?? 'its latest image'} as deployment ${deployment.id}. Follow it: rise d s ${project} ${deployment.id} --follow`,
      );
    return EXIT.ok;
  },
});
