import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { type ProjectSettings, settingOptions, settingsOf } from './setting-options';

export const create = defineCommand<SharedArgs & ProjectSettings & { project: string }>({
  name: 'create',
  aliases: ['c', 'new'],
  summary: 'create a project',
  project: { argument: 'required' },
  options: [
    settingOptions.visibility().default('public'),
    settingOptions.owner('user:<name> or team:<name> (default: you)'),
    settingOptions.runtime('where it runs'),
  ],
  async run(options, ctx) {
    const project = await ctx.api().project.create.mutate({
      name: options.project,
      ...settingsOf(options),
    });
    if (options.output === 'json') printJson(project);
    else
      say(
        `Created project '${project.name}' with ${project.visibility} visibility owned by ${project.owner}.`,
      );
    return EXIT.ok;
  },
});
