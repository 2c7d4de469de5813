import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { say } from '../../lib/output';

type RunArgs = SharedArgs & { project: string; command: string[] };

type RunEntry =
  | { type: 'started'; deployment: string }
  | { type: 'output'; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'exit'; exitCode: number | null; error: string | null; durationMs: number };

export const run = defineCommand<RunArgs>({
  name: 'run',
  summary: "run a command once in a new container of the project's running version, with its env",
  project: { argument: 'required' },
  arguments: [
    {
      name: 'command',
      description: 'after --: the program and its arguments (no shell; use sh -c "…" for one)',
      required: true,
      variadic: true,
    },
  ],
  examples: ['rise run my-app -- npm run migrate', 'rise run my-app -- sh -c "ls -la /app"'],
  async run(options, ctx) {
    const api = ctx.api();
    const json = options.output === 'json';
    const exit = await new Promise<Extract<RunEntry, { type: 'exit' }>>((resolve, reject) => {
      let ended: Extract<RunEntry, { type: 'exit' }> | null = null;
      const subscription = api.project.run.subscribe(
        { project: options.project, command: options.command },
        {
          onData: (entry: RunEntry) => {
            if (json) process.stdout.write(`${JSON.stringify(entry)}\n`);
            else if (entry.type === 'started')
              say(`Running in a new container of deployment ${entry.deployment}.`);
            else if (entry.type === 'output') {
              (entry.stream === 'stderr' ? process.stderr : process.stdout).write(`${entry.line}\n`);
            }
            if (entry.type === 'exit') {
              ended = entry;
              subscription.unsubscribe();
              resolve(entry);
            }
          },
          onError: (error) => reject(error),
          onComplete: () =>
            ended ? resolve(ended) : reject(new CliError('the connection ended before the command did')),
          onStopped: () =>
            ended ? resolve(ended) : reject(new CliError('the connection ended before the command did')),
        },
      );
      // Ctrl-C: leaving stops and removes the container on the server.
      process.once('SIGINT', () => {
        subscription.unsubscribe();
        reject(new CliError('interrupted; the container is stopped and removed', 130));
      });
    });
    if (exit.exitCode === null) throw new CliError(exit.error ?? 'the command did not finish', EXIT.failure);
    return exit.exitCode;
  },
});
