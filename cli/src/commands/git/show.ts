import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printDetails } from '../../lib/format';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const show = defineCommand<ProjectArgs>({
  name: 'show',
  aliases: ['s'],
  summary: "show a project's git source",
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const source = await ctx.api().gitSource.get.query({ project });
    if (options.output === 'json') {
      printJson(source);
      return EXIT.ok;
    }
    if (!source) {
      say(`Project '${project}' has no git source. Set one: rise p u ${project} --git URL --branch main`);
      return EXIT.ok;
    }
    printDetails([
      ['Repository', source.repositoryUrl],
      ['Branch', source.branch],
      ['Root directory', source.rootDirectory],
      ['Dockerfile', source.dockerfile ?? '-'],
      ['Watch paths', source.watchPaths.length ? source.watchPaths.join(', ') : 'any'],
      ['Submodules', source.submodules ? 'yes' : 'no'],
      ['Provider', source.provider ?? '-'],
      ['Preview expiry', source.previewExpiry],
      ['Webhook URL', source.webhookUrl ?? 'set a provider (--provider) to get one'],
      ['Deploy key', source.deployKey ?? `none (rise git key ${project})`],
      ['Access token', source.accessTokenSet ? 'set' : 'not set'],
      ['API URL', source.apiUrl ?? 'from the repository URL'],
    ]);
    return EXIT.ok;
  },
});
