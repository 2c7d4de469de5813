import { Option } from 'commander';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { wholeNumber } from '../../lib/shared-options';
import { type ProjectSettings, settingOptions, settingsOf } from './setting-options';

type UpdateArgs = SharedArgs & ProjectSettings & { project: string; port?: number; healthPath?: string };

export const update = defineCommand<UpdateArgs>({
  name: 'update',
  aliases: ['u', 'edit'],
  summary: 'change settings or transfer',
  project: { argument: 'required' },
  options: [
    settingOptions.visibility(),
    settingOptions.owner(),
    new Option('--port <port>', 'port the app listens on').argParser(wholeNumber),
    new Option('--health-path <path>'),
    settingOptions.runtime('takes effect at the next deployment'),
  ],
  async run(options, ctx) {
    const project = await ctx.api().project.update.mutate({
      project: options.project,
      ...settingsOf(options),
      port: options.port,
      healthPath: options.healthPath,
    });
    if (options.output === 'json') printJson(project);
    else say(`Updated project '${project.name}'.`);
    return EXIT.ok;
  },
});
