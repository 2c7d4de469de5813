import { scaleArgument } from '../../../../src/shared/processes/process.schema';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';

type ScaleArgs = SharedArgs & { project: string; counts: { process: string; replicas: number }[] };

/** `rise scale PROJECT web=3 worker=1`: new replica counts, applied without a redeploy. */
export const scale = defineCommand<ScaleArgs>({
  name: 'scale',
  summary: "set how many instances of the project's processes run (no redeploy)",
  examples: ['rise scale my-app web=3', 'rise scale my-app web=2 worker=1', 'rise scale my-app worker=0'],
  project: { argument: 'required' },
  arguments: [
    {
      name: 'counts',
      description: 'PROCESS=COUNT, one or more (web is the routed process)',
      required: true,
      variadic: true,
      schema: scaleArgument,
    },
  ],
  async run(options, ctx) {
    const counts: Record<string, number> = {};
    for (const { process, replicas } of options.counts) {
      if (process in counts)
        throw new CliError(`${process} is named twice: give each process one count.`, EXIT.usage);
      counts[process] = replicas;
    }
    const result = await ctx.api().project.scale.mutate({ project: options.project, counts });
    if (options.output === 'json') {
      printJson(result);
      return EXIT.ok;
    }
    for (const { name, from, to } of result.processes)
      say(from === to ? `${name}: ${to} (unchanged)` : `${name}: ${from} → ${to}`);
    say(
      result.applying
        ? `Applying to the running version now, without a redeploy; watch it with: rise ps ${options.project}`
        : `'${options.project}' is not running: the next deploy starts these counts.`,
    );
    return EXIT.ok;
  },
});
