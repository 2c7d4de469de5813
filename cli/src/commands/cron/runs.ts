import { Option } from 'commander';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { wholeNumber } from '../../lib/shared-options';

type RunsArgs = ProjectArgs & { name: string; limit: number };

/** `rise cron runs PROJECT NAME`: the newest runs of a cron job, each with the end of its output. */
export const runs = defineCommand<RunsArgs>({
  name: 'runs',
  summary: "a cron job's newest runs with their output",
  project: { argument: 'optional' },
  arguments: [{ name: 'name', required: true, description: 'the cron job' }],
  options: [new Option('--limit <n>', 'how many runs').argParser(wholeNumber).default(5)],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const runs = await ctx.api().cron.runs.query({ project, name: options.name, limit: options.limit });
    if (options.output === 'json') {
      printJson(runs);
      return EXIT.ok;
    }
    if (runs.length === 0) process.stderr.write(`"${options.name}" has not run yet.\n`);
    for (const run of runs) {
      const code = run.exitCode === null ? '' : `, exit code ${run.exitCode}`;
      const why = run.reason ? ` (${run.reason})` : '';
      process.stdout.write(`${run.startedAt.toISOString()}  ${run.status}${code}${why}\n`);
      for (const line of run.output) process.stdout.write(`  ${line}\n`);
    }
    return EXIT.ok;
  },
});
