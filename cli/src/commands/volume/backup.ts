import { Option } from 'commander';
import { destinationName } from '../../../../src/shared/backups/backup.schema';
import { volumeName } from '../../../../src/shared/volumes/volume.schema';
import { zodChecked } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const backup = defineCommand<ProjectArgs & { name: string; destination?: string; encrypt: boolean }>({
  name: 'backup',
  summary: "back up a volume now (a tar and every file's SHA-256, to a backup destination)",
  arguments: [{ name: 'name', required: true, schema: volumeName }],
  examples: ['rise volume backup data -p my-app --encrypt'],
  project: {},
  options: [
    new Option('--destination <name>', 'where to (default: local)').argParser(zodChecked(destinationName)),
    new Option('--encrypt', 'encrypt the archive with the server key').default(false),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const result = await ctx.api().volume.backup.mutate({
      project,
      name: options.name,
      destination: options.destination,
      encrypt: options.encrypt,
    });
    if (options.output === 'json') printJson(result);
    else
      say(
        `Queued backup ${result.id} of volume ${options.name} to ${result.destination}. Follow it: rise volume backups ${options.name} -p ${project}`,
      );
    return EXIT.ok;
  },
});
