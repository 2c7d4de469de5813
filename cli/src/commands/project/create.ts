import { Option } from 'commander';
import { RUNTIME_NAMES, type RuntimeName } from '../../../../src/shared/runtimes';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';

export const create = defineCommand<
  SharedArgs & { project: string; visibility: 'public' | 'private'; owner?: string; runtime?: RuntimeName }
>({
  name: 'create',
  aliases: ['c', 'new'],
  summary: 'create a project',
  project: { argument: 'required' },
  options: [
    new Option('--visibility <visibility>').choices(['public', 'private']).default('public'),
    new Option('--owner <owner>', 'user:<name> or team:<name> (default: you)'),
    new Option('--runtime <runtime>', 'where it runs').choices(RUNTIME_NAMES),
  ],
  async run(options, ctx) {
    const project = await ctx.api().project.create.mutate({
      name: options.project,
      visibility: options.visibility,
      owner: options.owner,
      runtime: options.runtime,
    });
    if (options.output === 'json') printJson(project);
    else
      say(
        `Created project '${project.name}' with ${project.visibility} visibility owned by ${project.owner}.`,
      );
    return EXIT.ok;
  },
});
