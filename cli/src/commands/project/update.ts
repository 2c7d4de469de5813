import { Option } from 'commander';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { wholeNumber } from '../../lib/shared-options';
import { type SourceFlags, sourceOptions, sourceSettingsOf } from '../git/source-options';
import { type ProjectSettings, settingOptions, settingsOf } from './setting-options';

type UpdateArgs = SharedArgs &
  ProjectSettings &
  SourceFlags & {
    project: string;
    port?: number;
    healthPath?: string;
    command?: string;
    release?: string;
    postDeploy?: string;
  };

/** A command flag as the API takes it: run by the image's /bin/sh -c; '' clears the setting. */
const commandSetting = (value: string | undefined) =>
  value === undefined ? undefined : value.trim() || null;

export const update = defineCommand<UpdateArgs>({
  name: 'update',
  aliases: ['u', 'edit'],
  summary: 'change settings or transfer',
  project: { argument: 'required' },
  options: [
    settingOptions.visibility(),
    settingOptions.owner(),
    new Option('--port <port>', 'port the app listens on').argParser(wholeNumber),
    new Option('--health-path <path>'),
    new Option('--command <command>', "start command, run by the image's /bin/sh -c ('' clears it)"),
    new Option(
      '--release <command>',
      "release command, run before each deployment takes traffic ('' clears it)",
    ),
    new Option('--post-deploy <command>', "command run after each deployment took traffic ('' clears it)"),
    settingOptions.runtime('takes effect at the next deployment'),
    ...sourceOptions(),
  ],
  examples: [
    'rise p u my-app --git git@github.com:acme/my-app.git --branch main --watch "src/**"',
    'rise p u my-app --release "npm run migrate" --command "node server.js"',
  ],
  async run(options, ctx) {
    const source = sourceSettingsOf(options);
    const settings = {
      ...settingsOf(options),
      port: options.port,
      healthPath: options.healthPath,
      startCommand: commandSetting(options.command),
      releaseCommand: commandSetting(options.release),
      postDeployCommand: commandSetting(options.postDeploy),
    };
    const changesProject = Object.values(settings).some((value) => value !== undefined);
    const project =
      changesProject || !source
        ? await ctx.api().project.update.mutate({ project: options.project, ...settings })
        : undefined;
    const git = source
      ? await ctx.api().gitSource.set.mutate({ project: options.project, ...source })
      : undefined;
    if (options.output === 'json') {
      printJson(
        git
          ? {
              ...(project ?? { name: options.project }),
              source: git.source,
              webhookSecret: git.webhookSecret,
            }
          : project,
      );
      return EXIT.ok;
    }
    say(`Updated project '${options.project}'.`);
    if (git) sayWebhook(options.project, git.source.webhookUrl, git.webhookSecret);
    return EXIT.ok;
  },
});

function sayWebhook(project: string, url: string | null, secret: string | null) {
  say(url ? `Webhook URL: ${url}` : 'Set --provider to get the webhook URL for your forge.');
  if (!secret) return;
  // Shown once, when it is made; later only through `rise git secret`, which is audited.
  say(`Webhook secret: ${secret}`);
  say(`For an ssh repository, add a deploy key: rise git key ${project}`);
}
