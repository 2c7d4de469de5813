import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { isDeploymentId } from './deployment-id';

export const rollback = defineCommand<ProjectArgs & { deployment?: string }>({
  name: 'rollback',
  summary: 'redeploy an earlier digest (default: the previous one)',
  project: { argument: 'optional' },
  arguments: [{ name: 'deployment', matches: isDeploymentId }],
  async run(options, ctx) {
    const deployment = await ctx.api().deployment.rollback.mutate({
      project: projectArgument(options.project),
      deployment: options.deployment,
    });
    if (options.output === 'json') printJson(deployment);
    else
      say(
        `Rolling back '${deployment.project}' to ${deployment.rolledBackFrom} as deployment ${deployment.id}.`,
      );
    return EXIT.ok;
  },
});
