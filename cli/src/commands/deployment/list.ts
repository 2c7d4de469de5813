import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { shortDigest } from '../../lib/deploy-messages';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';
import { collectPages } from '../../lib/pages';
import { projectArgument } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';

export const list = defineCommand<ProjectArgs & { limit: number }>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary: 'deployments, newest first, with the digest each one runs',
  project: { argument: 'optional' },
  options: [sharedOptions.limit('how many', 20)],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api();
    const deployments = await collectPages(
      (page) => api.deployment.list.query({ project, ...page }),
      (deployment) => deployment.id,
      options.limit,
    );
    printList(options.output, deployments, {
      empty: `No deployments of '${project}' yet: rise d c ${project}`,
      table: (deployments) => ({
        columns: [
          { title: 'DEPLOYMENT', width: 22 },
          { title: 'STATUS', width: 13 },
          { title: 'ACTIVE', width: 8 },
          { title: 'DIGEST', width: 14 },
          { title: 'IMAGE', width: 0 },
        ],
        rows: deployments.map((d) => [
          d.id,
          d.status,
          d.active ? 'yes' : '',
          shortDigest(d.imageDigest),
          d.image ?? '-',
        ]),
      }),
    });
    return EXIT.ok;
  },
});
