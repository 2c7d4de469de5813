import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatBytes, formatTime, printDetails } from '../../lib/format';
import { printJson } from '../../lib/output';
import { projectOf } from '../../lib/project';
import { describeEnv } from './describe-env';

export const show = defineCommand<ProjectArgs & { name: string }>({
  name: 'show',
  aliases: ['s'],
  summary: 'a database, its backup schedules and recent backups',
  arguments: [{ name: 'name', required: true }],
  project: {},
  async run(options, ctx) {
    const { name } = options;
    const project = projectOf(options);
    const api = ctx.api();
    const [database, schedules, backups] = await Promise.all([
      api.database.get.query({ project, database: name }),
      api.backup.schedules.query({ project, database: name }),
      api.backup.list.query({ project, database: name }),
    ]);
    const recent = backups.slice(0, 5);
    if (options.output === 'json') {
      printJson({ ...database, schedules, backups: recent });
      return EXIT.ok;
    }
    printDetails([
      ['Database', database.name],
      ['Engine', `${database.engine} (${database.image})`],
      ['Status', database.error ? `${database.status}: ${database.error}` : database.status],
      ['Host', `${database.host}:${database.port}`],
      ['User', database.username],
      ['Database name', database.databaseName],
      ['Env', describeEnv(database)],
      ['CPU', database.cpuLimit === null ? 'default' : String(database.cpuLimit)],
      ['Memory', database.memoryLimitMb === null ? 'default' : `${database.memoryLimitMb} MiB`],
      ['Created', formatTime(database.createdAt)],
    ]);
    process.stdout.write('\nBackup schedules:\n');
    if (schedules.length === 0)
      process.stdout.write(`  none (rise db schedule add ${name} --cron '0 3 * * *')\n`);
    else
      for (const s of schedules)
        process.stdout.write(
          `  ${s.cron}  to ${s.destination}, keep ${s.keepLast ?? 'all'}${s.maxAgeDays ? ` for ${s.maxAgeDays} days` : ''}${s.encrypt ? ', encrypted' : ''}; next ${formatTime(s.nextRunAt)}  (${s.id})\n`,
        );
    process.stdout.write('\nRecent backups:\n');
    if (recent.length === 0) process.stdout.write(`  none (rise db backup ${name})\n`);
    else
      for (const b of recent)
        process.stdout.write(
          `  ${b.id}  ${b.status.padEnd(9)}  ${formatBytes(b.sizeBytes).padEnd(9)}  ${formatTime(b.createdAt)}${b.error ? `  ${b.error.split('\n')[0]}` : ''}\n`,
        );
    return EXIT.ok;
  },
});
