import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  summary: "the project's cron jobs, their next run and how the last one ended",
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const jobs = await ctx.api().cron.list.query({ project });
    printList(options.output, jobs, {
      empty: `No cron jobs on '${project}': add [[cron]] to .rise.toml (name, schedule, command), then rise d c`,
      table: (jobs) => ({
        columns: [
          { title: 'NAME', width: 20 },
          { title: 'SCHEDULE (UTC)', width: 16 },
          { title: 'NEXT RUN', width: 26 },
          { title: 'LAST RUN', width: 24 },
          { title: 'COMMAND', width: 0 },
        ],
        rows: jobs.map((job) => [
          job.name,
          job.schedule,
          job.nextRunAt.toISOString(),
          job.lastRun
            ? `${job.lastRun.status}${job.lastRun.exitCode === null ? '' : ` (${job.lastRun.exitCode})`}`
            : '-',
          job.command,
        ]),
      }),
    });
    return EXIT.ok;
  },
});
