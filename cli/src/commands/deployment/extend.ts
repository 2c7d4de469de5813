import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { isDeploymentId } from './deployment-id';
import { expireOption, expiryText, groupOption, inGroup } from './groups';
import { showArguments } from './show';

type ExtendArgs = ProjectArgs & { deployment?: string; group?: string; expire: string };

/**
 * `rise d extend [PROJECT] [DEPLOYMENT] [-g NAME] --expire 7d`: a new expiry counted from now, for a
 * deployment or a group's active one (default: the default group's).
 */
export const extend = defineCommand<ExtendArgs>({
  name: 'extend',
  summary:
    "set a new expiry, counted from now, on a deployment or a group's active one (default: the default group's)",
  examples: [
    'rise d extend my-app -g mr/26 --expire 7d',
    'rise d extend my-app 20261122-0132-k3f9 --expire 2h',
  ],
  project: { argument: 'optional' },
  arguments: [
    {
      name: 'deployment',
      description: "default: the active deployment of -g's group",
      matches: isDeploymentId,
    },
  ],
  options: [
    groupOption("extend this group's active deployment (default: 'default')"),
    expireOption('the new expiry from now: 30m, 2h, 7d, 1w (units s, m, h, d, w)').makeOptionMandatory(),
  ],
  async run(options, ctx) {
    const { project, deployment } = showArguments(options.project, options.deployment);
    if (deployment && options.group)
      throw new CliError(
        `Name a deployment or a group, not both: rise d extend ${project} ${deployment} --expire ${options.expire}, or rise d extend ${project} -g ${options.group} --expire ${options.expire}.`,
        EXIT.usage,
      );
    const extended = await ctx.api().deployment.extend.mutate({
      project,
      deployment,
      group: options.group,
      expire: options.expire,
    });
    if (options.output === 'json') printJson(extended);
    else
      say(
        `Deployment ${extended.id} of '${extended.project}'${inGroup(extended.group)} now ${expiryText(extended.expiresAt) ?? 'does not expire'}.`,
      );
    return EXIT.ok;
  },
});
