import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { isDeploymentId } from './deployment-id';
import { groupOption, inGroup } from './groups';

export const rollback = defineCommand<ProjectArgs & { deployment?: string; group?: string }>({
  name: 'rollback',
  summary: "redeploy an earlier digest (default: the group's previous one; -g NAME: in that group)",
  examples: [
    'rise d rollback my-app',
    'rise d rollback my-app -g mr/26',
    'rise d rollback my-app 20261122-0132-k3f9',
  ],
  project: { argument: 'optional' },
  arguments: [{ name: 'deployment', matches: isDeploymentId }],
  options: [groupOption("roll back in this group (default: the named deployment's group, else 'default')")],
  async run(options, ctx) {
    const deployment = await ctx.api().deployment.rollback.mutate({
      project: projectArgument(options.project),
      deployment: options.deployment,
      group: options.group,
    });
    if (options.output === 'json') printJson(deployment);
    else
      say(
        `Rolling back '${deployment.project}'${inGroup(deployment.group)} to ${deployment.rolledBackFrom} as deployment ${deployment.id}.`,
      );
    return EXIT.ok;
  },
});
