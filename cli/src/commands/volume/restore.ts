import { Option } from 'commander';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const restore = defineCommand<ProjectArgs & { backup: string; drill: boolean }>({
  name: 'restore',
  summary:
    "restore a volume backup into its volume (the app must be stopped); --drill: into a scratch volume, compared with the backup's checksums",
  arguments: [{ name: 'backup', required: true }],
  examples: [
    'rise volume restore cmabc123 --drill -p my-app',
    'rise d stop my-app && rise volume restore cmabc123 -p my-app',
  ],
  project: {},
  options: [
    new Option(
      '--drill',
      'restore into a scratch volume and compare every file; the volume is not touched',
    ).default(false),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api().volume;
    const input = { project, backup: options.backup };
    const result = options.drill ? await api.drill.mutate(input) : await api.restore.mutate(input);
    if (options.output === 'json') printJson(result);
    else if (options.drill)
      say(
        `Queued a drill of backup ${result.id} (volume ${result.volume}). Its result: rise volume backups ${result.volume} -p ${project}`,
      );
    else
      say(
        `Queued the restore of backup ${result.id} into volume ${result.volume}; start the app when it is done (rise d start ${project}).`,
      );
    return EXIT.ok;
  },
});
