import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { groupOption, isPreviewGroup } from './groups';

export const stop = defineCommand<ProjectArgs & { group?: string }>({
  name: 'stop',
  summary: 'stop the app; its URL answers a "stopped" page (-g NAME: stop and remove a preview group)',
  examples: ['rise d stop my-app', 'rise d stop my-app -g mr/26   # remove the preview group mr/26'],
  project: { argument: 'optional' },
  options: [
    groupOption(
      "stop this preview group instead: its URL stops answering, its deployments stop (default: 'default', the app)",
    ),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api();
    if (isPreviewGroup(options.group)) {
      const result = await api.deployment.stopGroup.mutate({ project, group: options.group });
      if (options.output === 'json') printJson(result);
      else
        say(
          `Stopping group '${result.group}' of '${result.project}': its URL stops answering and its deployments stop.`,
        );
      return EXIT.ok;
    }
    const result = await api.deployment.stop.mutate({ project });
    if (options.output === 'json') printJson(result);
    else
      say(
        `Stopping '${result.project}'; its URL answers a "stopped" page until you deploy or start it again.`,
      );
    return EXIT.ok;
  },
});
