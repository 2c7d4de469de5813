import { Option } from 'commander';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const secret = defineCommand<ProjectArgs & { rotate?: boolean }>({
  name: 'secret',
  summary: 'print the webhook secret (recorded in the audit log); --rotate makes a new one',
  project: { argument: 'optional' },
  options: [new Option('--rotate', 'replace the secret (update it at the forge too)')],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api().gitSource;
    const { webhookSecret } = options.rotate
      ? await api.rotateWebhookSecret.mutate({ project })
      : await api.revealWebhookSecret.mutate({ project });
    if (options.output === 'json') printJson({ webhookSecret });
    else process.stdout.write(`${webhookSecret}\n`);
    if (options.rotate) say('Rotated: paste the new secret into the webhook settings at your forge.');
    return EXIT.ok;
  },
});
