import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const stop = defineCommand<ProjectArgs>({
  name: 'stop',
  summary: 'stop the app; its URL answers a "stopped" page',
  project: { argument: 'optional' },
  async run(options, ctx) {
    const result = await ctx.api().deployment.stop.mutate({ project: projectArgument(options.project) });
    if (options.output === 'json') printJson(result);
    else
      say(
        `Stopping '${result.project}'; its URL answers a "stopped" page until you deploy or start it again.`,
      );
    return EXIT.ok;
  },
});
