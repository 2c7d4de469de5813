import { Option } from 'commander';
import { RUNTIME_NAMES, type RuntimeName } from '../../../../src/shared/runtimes';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { wholeNumber } from '../../lib/shared-options';

type UpdateArgs = SharedArgs & {
  project: string;
  visibility?: 'public' | 'private';
  owner?: string;
  port?: number;
  healthPath?: string;
  runtime?: RuntimeName;
};

export const update = defineCommand<UpdateArgs>({
  name: 'update',
  aliases: ['u', 'edit'],
  summary: 'change settings or transfer',
  project: { argument: 'required' },
  options: [
    new Option('--visibility <visibility>').choices(['public', 'private']),
    new Option('--owner <owner>'),
    new Option('--port <port>', 'port the app listens on').argParser(wholeNumber),
    new Option('--health-path <path>'),
    new Option('--runtime <runtime>', 'takes effect at the next deployment').choices(RUNTIME_NAMES),
  ],
  async run(options, ctx) {
    const project = await ctx.api().project.update.mutate({
      project: options.project,
      visibility: options.visibility,
      owner: options.owner,
      port: options.port,
      healthPath: options.healthPath,
      runtime: options.runtime,
    });
    if (options.output === 'json') printJson(project);
    else say(`Updated project '${project.name}'.`);
    return EXIT.ok;
  },
});
