import { Option } from 'commander';
import type { Api } from '../../lib/api';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { type InstanceArgs, instanceOptions } from '../../lib/instance-options';
import { say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { sharedOptions, wholeNumber } from '../../lib/shared-options';
import { buildFailure, buildOutcome, streamBuildLog } from './build-log-follow';

type LogsArgs = ProjectArgs &
  InstanceArgs & {
    deployment?: string;
    follow: boolean;
    events: boolean;
    build?: boolean;
    tail: number;
  };

/** The deployment whose build log `--build` shows by default: the newest, the one most likely building or failed. */
async function newestDeploymentId(api: Api, project: string): Promise<string> {
  const [newest] = await api.deployment.list.query({ project, limit: 1 });
  if (!newest) throw new CliError(`'${project}' has no deployments yet: rise d c ${project}`, EXIT.notFound);
  return newest.id;
}

/**
 * `rise d logs --build`: the build log's lines as stored, following them with -f until the build
 * ends; a build that failed or was cancelled ends with its reason and exit 1.
 */
async function showBuildLog(api: Api, project: string, options: LogsArgs): Promise<number> {
  const deployment = options.deployment ?? (await newestDeploymentId(api, project));
  let lines = 0;
  const stream = streamBuildLog(api, { project, deployment, follow: options.follow }, (entry) => {
    if (options.output === 'json') return void process.stdout.write(`${JSON.stringify(entry)}\n`);
    if (entry.type === 'event') {
      lines++;
      process.stdout.write(`${entry.message}\n`);
    } else if (entry.type === 'status') say(`Deployment ${deployment} is ${entry.status}.`);
  });
  const interrupt = () => stream.stop();
  process.once('SIGINT', interrupt);
  try {
    await stream.done;
  } finally {
    process.off('SIGINT', interrupt);
  }
  const view = await api.deployment.get.query({ project, deployment });
  const outcome = buildOutcome(view);
  if (outcome === 'failed' || outcome === 'cancelled') throw buildFailure(view, project, lines > 0);
  if (lines === 0 && options.output !== 'json')
    say(
      outcome === 'running'
        ? `No build output yet; follow it: rise d logs ${project} --build --deployment ${deployment} -f`
        : `Deployment ${deployment} has no build log (a pre-built image, a rollback, or a build log no longer kept).`,
    );
  return EXIT.ok;
}

/** Streams the app's output (or the deployment's events, or its build log) until done or Ctrl+C. */
export const logs = defineCommand<LogsArgs>({
  name: 'logs',
  summary: "the app's output (--events: the deployment's events, --build: its build log)",
  examples: [
    "rise d logs my-app -f                    # the running app's output, as it comes",
    'rise d logs my-app --build -f            # the newest build, live until it ends (exit 1 if it failed)',
    'rise d logs my-app --events --deployment 20261122-0132-k3f9',
    "rise d logs my-app --process worker --instance 1   # one worker replica's output (rise ps)",
  ],
  project: { argument: 'optional' },
  options: [
    new Option('--deployment <id>', 'default: the active one (with --build: the newest)'),
    sharedOptions.follow('keep streaming (with --build: until the build ends)'),
    new Option('--events', 'deploy events instead of app output').default(false).conflicts('build'),
    new Option(
      '--build',
      'the build log (client or server build) instead of app output; exit 1 when the build failed or was cancelled',
    ),
    new Option('--tail <n>', 'lines of history').argParser(wholeNumber).default(200),
    ...instanceOptions('wrote the output (app output only)'),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api();
    if (options.build) return showBuildLog(api, project, options);
    const instance = options.process !== undefined || options.instance !== undefined;
    if (instance && options.events)
      throw new CliError('--process and --instance pick app output; drop --events.', EXIT.usage);
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
          process: options.process,
          replica: options.instance,
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
