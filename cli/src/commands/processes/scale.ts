import { scaleArgument } from '../../../../src/shared/processes/process.schema';
import { type CommandContext, defineCommand, type SharedArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say, startSpinner } from '../../lib/output';
import { sharedOptions } from '../../lib/shared-options';
import { sleep } from '../../lib/sleep';

type ScaleArgs = SharedArgs & {
  project: string;
  counts: { process: string; replicas: number }[];
  wait: boolean;
  timeout: number;
};

type Api = ReturnType<CommandContext['api']>;

/** Processes whose running instances are not yet `to` (none: the counts took effect). */
async function pending(api: Api, project: string, wanted: { name: string; to: number }[]) {
  const { processes } = await api.project.processes.query({ project });
  return wanted.filter(({ name, to }) => {
    const instances = processes.find((process) => process.name === name)?.instances ?? [];
    return instances.filter((instance) => instance.state === 'running').length !== to;
  });
}

/** `rise scale PROJECT web=3 worker=1`: new replica counts, applied without a redeploy. */
export const scale = defineCommand<ScaleArgs>({
  name: 'scale',
  summary: "set how many instances of the project's processes run (no redeploy)",
  examples: [
    'rise scale my-app web=3',
    'rise scale my-app web=2 worker=1 --wait   # until the instances run (rise ps)',
    'rise scale my-app worker=0',
  ],
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
  options: [
    sharedOptions.wait('wait until that many instances of each run'),
    sharedOptions.timeoutSeconds(120),
  ],
  async run(options, ctx) {
    const counts: Record<string, number> = {};
    for (const { process, replicas } of options.counts) {
      if (process in counts)
        throw new CliError(`${process} is named twice: give each process one count.`, EXIT.usage);
      counts[process] = replicas;
    }
    const api = ctx.api();
    const result = await api.project.scale.mutate({ project: options.project, counts });
    if (options.output === 'json') printJson(result);
    else {
      for (const { name, from, to } of result.processes)
        say(from === to ? `${name}: ${to} (unchanged)` : `${name}: ${from} → ${to}`);
      say(
        result.applying
          ? `Applying to the running version now, without a redeploy${options.wait ? '' : `; watch it with: rise ps ${options.project}`}.`
          : `'${options.project}' is not running: the next deploy starts these counts.`,
      );
    }
    if (!options.wait || !result.applying) return EXIT.ok;
    const waiting = startSpinner('Waiting for the instances');
    const deadline = Date.now() + options.timeout * 1000;
    try {
      for (;;) {
        const left = await pending(api, options.project, result.processes);
        if (left.length === 0) break;
        if (Date.now() >= deadline)
          throw new CliError(
            `Still scaling after ${options.timeout} s (${left.map(({ name, to }) => `${name}=${to}`).join(', ')}); see rise ps ${options.project}`,
            EXIT.timeout,
          );
        await sleep(1000);
      }
    } finally {
      waiting.stop();
    }
    if (options.output !== 'json') say('Done: every instance runs.');
    return EXIT.ok;
  },
});
