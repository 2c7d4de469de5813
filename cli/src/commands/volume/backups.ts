import type { VolumeBackupView } from '../../../../src/shared/volumes/volume.schema';
import { volumeName } from '../../../../src/shared/volumes/volume.schema';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import { printList } from '../../lib/output';
import { projectArgument } from '../../lib/project';

/** What the last drill found: `passed`, or which files differ. */
export function drillText(backup: VolumeBackupView): string {
  const drill = backup.drill;
  if (!drill) return '-';
  if (drill.ok) return 'passed';
  if (drill.error) return `failed: ${drill.error}`;
  const parts = [
    drill.missing.length ? `missing ${drill.missing.join(', ')}` : '',
    drill.extra.length ? `extra ${drill.extra.join(', ')}` : '',
    drill.changed.length ? `changed ${drill.changed.join(', ')}` : '',
  ].filter(Boolean);
  return `failed: ${parts.join('; ')}`;
}

export const backups = defineCommand<ProjectArgs & { name?: string }>({
  name: 'backups',
  summary: 'list volume backups, newest first, with their last drill',
  arguments: [{ name: 'name', schema: volumeName }],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const list = await ctx.api().volume.backups.query({ project, name: options.name });
    printList(options.output, list, {
      empty: `No volume backups on '${project}': rise volume backup ${options.name ?? 'data'} -p ${project}`,
      table: (rows) => ({
        columns: [
          { title: 'ID', width: 27 },
          { title: 'VOLUME', width: 14 },
          { title: 'STATUS', width: 10 },
          { title: 'SIZE', width: 10 },
          { title: 'FILES', width: 6 },
          { title: 'CREATED', width: 26 },
          { title: 'DRILL', width: 0 },
        ],
        rows: rows.map((b) => [
          b.id,
          b.volume,
          b.status === 'failed' && b.error ? `failed: ${b.error}` : b.status,
          b.sizeBytes === null ? '-' : formatBytes(b.sizeBytes),
          b.files === null ? '-' : String(b.files),
          b.createdAt.toISOString(),
          drillText(b),
        ]),
      }),
    });
    return EXIT.ok;
  },
});
