import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { BUILDER_BACKENDS, type BuilderBackend } from '../../../../src/shared/builders/backends';
import { imageReferenceProblem } from '../../../../src/shared/registry/image-reference';
import { durationSeconds, zodParser } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { deployMessages } from '../../lib/deploy-messages';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say, startSpinner } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { collect } from '../../lib/shared-options';
import { sleep } from '../../lib/sleep';
import { buildAndPush } from './build-and-push';
import { type EnvOverrideFlags, envOverridesFrom } from './env-overrides';

const SETTLED = ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'];

type CreateArgs = ProjectArgs &
  EnvOverrideFlags & {
    image?: string;
    path?: string;
    backend?: BuilderBackend;
    verbose?: boolean;
    follow: boolean;
    timeout: number;
  };

function readEnvFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      `--env-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error}).`,
      EXIT.usage,
    );
  }
}

export const create = defineCommand<CreateArgs>({
  name: 'create',
  aliases: ['c', 'new'],
  summary: 'deploy (project from .rise.toml if omitted)',
  project: { argument: 'optional' },
  options: [
    new Option('--image <ref>', 'deploy a pre-built image instead of building'),
    new Option('--path <dir>', 'the app directory (default: .)'),
    new Option('--backend <backend>', 'how to build (default: .rise.toml, else auto)').choices(
      BUILDER_BACKENDS,
    ),
    new Option('--verbose', 'show the build output'),
    new Option('--no-follow', 'return once queued'),
    new Option('--timeout <duration>', `give up following after (90, 90s, 5m, 1h; exit code ${EXIT.timeout})`)
      .argParser(zodParser(durationSeconds))
      .default(600),
    new Option(
      '-e, --env <KEY=value>',
      "an env var of this deployment only, over the project's (repeatable)",
    ).argParser(collect),
    new Option('--env-file <path>', 'env vars of this deployment only, from a .env file (-e wins over it)'),
    new Option(
      '--secret-env <KEY>',
      'store this override encrypted; never shown again (repeatable)',
    ).argParser(collect),
  ],
  async run(options, ctx) {
    const dir = options.path ?? process.cwd();
    const project = projectArgument(options.project, dir);
    const problem = options.image === undefined ? null : imageReferenceProblem(options.image);
    if (problem) throw new CliError(`--image: ${problem}`, EXIT.usage);
    const envOverrides = envOverridesFrom(options, readEnvFile);
    const api = ctx.api();
    const created = options.image
      ? await api.deployment.create.mutate({ project, image: options.image, envOverrides })
      : await buildAndPush(api, project, dir, { ...options, envOverrides });
    if (!options.follow) {
      if (options.output === 'json') printJson(created);
      else
        say(`Queued deployment ${created.id} of '${project}'. Follow it: rise d s ${project} ${created.id}`);
      return EXIT.ok;
    }
    const deploying = startSpinner(deployMessages.deploying(project));
    const cancel = () => {
      say(`Cancelling deployment ${created.id} ...`);
      void api.deployment.cancel
        .mutate({ project, deployment: created.id })
        .catch(() => undefined)
        .finally(() => process.exit(130));
    };
    process.once('SIGINT', cancel);
    const deadline = Date.now() + options.timeout * 1000;
    try {
      while (Date.now() < deadline) {
        const deployment = await api.deployment.get.query({ project, deployment: created.id });
        if (SETTLED.includes(deployment.status)) {
          deploying.stop();
          if (options.output === 'json') printJson(deployment);
          if (deployment.status !== 'healthy') {
            throw new CliError(
              `Deployment ${deployment.id} ${deployment.status}: ${deployment.error ?? 'see rise d s'}`,
              EXIT.failure,
            );
          }
          const { url } = await api.project.get.query({ project });
          say(deployMessages.succeeded(url));
          return EXIT.ok;
        }
        await sleep(1000);
      }
      throw new CliError(
        `Still deploying after ${options.timeout} s; follow it with: rise d s ${project} ${created.id} --follow`,
        EXIT.timeout,
      );
    } finally {
      deploying.stop();
      process.off('SIGINT', cancel);
    }
  },
});
