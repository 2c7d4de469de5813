import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printDetails } from '../../lib/format';
import { printJson } from '../../lib/output';

export const show = defineCommand<SharedArgs & { project: string }>({
  name: 'show',
  aliases: ['s'],
  summary: 'show a project',
  project: { argument: 'required' },
  async run(options, ctx) {
    const project = await ctx.api().project.get.query({ project: options.project });
    if (options.output === 'json') {
      printJson(project);
      return EXIT.ok;
    }
    printDetails([
      ['Project', project.name],
      ['Status', project.status],
      ['URL', project.url],
      ['Visibility', project.visibility],
      ['Owner', project.owner],
      ['Runtime', project.runtime],
      ['Your role', project.role],
      ['Build', project.buildBackend],
      ['Port', String(project.port)],
      ['Health path', project.healthPath],
      ['Active deployment', project.activeDeploymentId ?? '-'],
    ]);
    return EXIT.ok;
  },
});
