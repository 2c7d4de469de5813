import { Option } from 'commander';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { sharedOptions, wholeNumber } from '../../lib/shared-options';

type LogsArgs = ProjectArgs & { deployment?: string; follow: boolean; events: boolean; tail: number };

/** Streams the app's output (or, with --events, the deployment's events) until done or Ctrl+C. */
export const logs = defineCommand<LogsArgs>({
  name: 'logs',
  summary: "the app's output (or --events: the deployment's events)",
  project: { argument: 'optional' },
  options: [
    new Option('--deployment <id>', 'default: the active one'),
    sharedOptions.follow('keep streaming'),
    new Option('--events', 'deploy events instead of app output').default(false),
    new Option('--tail <n>', 'lines of history').argParser(wholeNumber).default(200),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api();
    const deploymentId = options.deployment ?? (await api.project.get.query({ project })).activeDeploymentId;
    if (!deploymentId)
      throw new CliError(
        `'${project}' has no running deployment; name one with --deployment.`,
        EXIT.notFound,
      );
    await new Promise<void>((resolve, reject) => {
      const subscription = api.deployment.logs.subscribe(
        {
          project,
          deployment: deploymentId,
          source: options.events ? 'events' : 'runtime',
          follow: options.follow,
          tail: options.tail,
        },
        {
          onData: (entry) => {
            if (options.output === 'json') return process.stdout.write(`${JSON.stringify(entry)}\n`);
            if (entry.type === 'event')
              process.stdout.write(`${entry.time.toISOString()} ${entry.message}\n`);
            else if (entry.type === 'log') process.stdout.write(`${entry.line}\n`);
            else say(`Deployment ${deploymentId} is ${entry.status}.`);
          },
          onError: (error) => reject(error),
          onComplete: () => resolve(),
          onStopped: () => resolve(),
        },
      );
      process.once('SIGINT', () => {
        subscription.unsubscribe();
        resolve();
      });
    });
    return EXIT.ok;
  },
});
