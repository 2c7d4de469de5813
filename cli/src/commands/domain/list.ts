import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { proofInstructions } from './proof-instructions';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const domains = await ctx.api().domain.list.query({ project });
    printList(options.output, domains, {
      empty: `No custom domains on '${project}': rise domain add app.example.com --project ${project}`,
      table: (domains) => ({
        columns: [
          { title: 'DOMAIN', width: 32 },
          { title: 'STATUS', width: 10 },
          { title: 'ADDED', width: 26 },
          { title: 'LAST CHECK', width: 0 },
        ],
        rows: domains.map((d) => [
          d.hostname,
          d.status,
          d.createdAt.toISOString(),
          d.status === 'verified'
            ? ''
            : `${d.lastCheckedAt?.toISOString() ?? 'never'}${d.lastCheckError ? `: ${d.lastCheckError}` : ''}`,
        ]),
      }),
    });
    if (options.output === 'json') return EXIT.ok;
    const pending = domains.filter((d) => d.status === 'pending');
    for (const domain of pending) say(`\n${proofInstructions(domain, project)}`);
    return EXIT.ok;
  },
});
