import { DEFAULT_GROUP } from '../../../../src/shared/deployment-groups';
import { deploymentIdArgument, projectNameArgument } from '../../lib/arguments';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { isDeploymentId } from './deployment-id';
import { groupOption, inGroup } from './groups';

const IN_PROGRESS = ['pending', 'building', 'pushing', 'pushed', 'deploying'];

/**
 * `rise d cancel PROJECT [DEPLOYMENT]`: default the project's deployment that is still in progress (of
 * the group `-g`, default `default`).
 */
export const cancel = defineCommand<SharedArgs & { project: string; deployment?: string; group?: string }>({
  name: 'cancel',
  summary: "cancel a deployment (default: the project's one in progress)",
  project: { argument: 'required', schema: projectNameArgument },
  arguments: [
    {
      name: 'deployment',
      description: "default: the project's deployment in progress",
      schema: deploymentIdArgument,
      matches: isDeploymentId,
    },
  ],
  options: [groupOption('without a deployment: the one in progress in this group (default: default)')],
  async run(options, ctx) {
    const { project } = options;
    const api = ctx.api();
    let deploymentId = options.deployment;
    if (deploymentId === undefined) {
      const group = options.group;
      const inProgress = (await api.deployment.list.query({ project, limit: 20, group })).filter((d) =>
        IN_PROGRESS.includes(d.status),
      );
      if (inProgress.length === 0)
        throw new CliError(
          `No deployment of '${project}'${inGroup(group ?? DEFAULT_GROUP)} is in progress; name one to cancel: rise d cancel ${project} <deployment>`,
          EXIT.notFound,
        );
      deploymentId = inProgress[0]!.id;
    }
    const deployment = await api.deployment.cancel.mutate({ project, deployment: deploymentId });
    if (options.output === 'json') {
      printJson(deployment);
      return EXIT.ok;
    }
    say(
      deployment.status === 'cancelled'
        ? `Cancelled deployment ${deployment.id} of '${project}'.`
        : deployment.status === 'cancelling'
          ? `Cancelling deployment ${deployment.id} of '${project}'; follow it: rise d s ${project} ${deployment.id} --follow`
          : `Deployment ${deployment.id} of '${project}' is already ${deployment.status}; nothing to cancel.`,
    );
    return ['cancelled', 'cancelling'].includes(deployment.status) ? EXIT.ok : EXIT.conflict;
  },
});
