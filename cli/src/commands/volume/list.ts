import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const volumes = await ctx.api().volume.list.query({ project });
    printList(options.output, volumes, {
      empty: `No volumes on '${project}': rise volume create data --mount /data -p ${project}`,
      table: (volumes) => ({
        columns: [
          { title: 'NAME', width: 20 },
          { title: 'MOUNT', width: 28 },
          { title: 'SIZE', width: 8 },
          { title: 'BACKUPS', width: 16 },
          { title: 'CREATED BY', width: 16 },
          { title: 'CREATED', width: 0 },
        ],
        rows: volumes.map((v) => [
          v.name,
          v.mountPath,
          v.size,
          v.backupSchedule?.cron ?? '-',
          v.createdBy ?? '-',
          v.createdAt.toISOString(),
        ]),
      }),
    });
    return EXIT.ok;
  },
});
