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
import { expireOption, expiryText, groupOption, inGroup, isPreviewGroup } from './groups';
import { followServerBuild } from './server-build-progress';

const SETTLED = ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'];

type CreateArgs = ProjectArgs &
  EnvOverrideFlags & {
    image?: string;
    path?: string;
    backend?: BuilderBackend;
    verbose?: boolean;
    follow: boolean;
    timeout: number;
    group?: string;
    expire?: string;
    git?: boolean;
    ref?: string;
  };

type Placed = { id: string; project: string; group: string; url: string; expiresAt: Date | null };

/** Where a queued deployment of a preview group (or one that expires) will answer, and until when. */
export function queuedPlacement(deployment: Placed): string | null {
  const expiry = expiryText(deployment.expiresAt);
  if (!isPreviewGroup(deployment.group) && !expiry) return null;
  return `Once healthy it answers at ${deployment.url}${expiry ? `; it ${expiry}` : ''}.`;
}

/** When a healthy deployment expires and how to keep it longer; null when it does not expire. */
export function expiryNote(deployment: Placed): string | null {
  const expiry = expiryText(deployment.expiresAt);
  if (!expiry) return null;
  return `It ${expiry}; keep it longer with: rise d extend ${deployment.project} ${deployment.id} --expire <duration>`;
}

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
  summary:
    'deploy (project from .rise.toml if omitted); -g NAME deploys a preview group at its own URL, --expire removes it after a while',
  examples: [
    'rise d c                                       # build and deploy the app of ./.rise.toml',
    'rise d c my-app --image ghcr.io/acme/app:1.2   # a pre-built image',
    'rise d c my-app --image ghcr.io/acme/app:pr-26 -g mr/26 --expire 7d   # a preview at its own URL',
    "rise d c my-app --git --ref v1.2                # the server builds the project's git source at v1.2",
  ],
  project: { argument: 'optional' },
  options: [
    new Option('--image <ref>', 'deploy a pre-built image instead of building'),
    new Option(
      '--git',
      "the server builds the project's git source (its branch, or --ref) instead of this machine",
    ),
    new Option('--ref <ref>', 'with --git: the branch, tag or commit sha to build'),
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
    groupOption(
      "deploy into this group (e.g. mr/26, pr-7): its own URL and active deployment (default: 'default', the project's URL)",
    ),
    expireOption('stop and remove the deployment after this long: 30m, 2h, 7d, 1w (units s, m, h, d, w)'),
  ],
  async run(options, ctx) {
    const dir = options.path ?? process.cwd();
    const project = projectArgument(options.project, dir);
    const problem = options.image === undefined ? null : imageReferenceProblem(options.image);
    if (problem) throw new CliError(`--image: ${problem}`, EXIT.usage);
    if (options.ref && !options.git) throw new CliError('--ref needs --git.', EXIT.usage);
    if (options.git && options.image)
      throw new CliError('Give either --image or --git, not both.', EXIT.usage);
    const envOverrides = envOverridesFrom(options, readEnvFile);
    const api = ctx.api();
    const placement = { group: options.group, expire: options.expire };
    const created = options.git
      ? await api.deployment.create.mutate({
          project,
          git: true,
          ref: options.ref,
          envOverrides,
          ...placement,
        })
      : options.image
        ? await api.deployment.create.mutate({ project, image: options.image, envOverrides, ...placement })
        : await buildAndPush(api, project, dir, { ...options, envOverrides });
    if (!options.follow) {
      if (options.output === 'json') printJson(created);
      else {
        say(
          `Queued deployment ${created.id} of '${project}'${inGroup(created.group)}. Follow it: rise d s ${project} ${created.id}`,
        );
        const where = queuedPlacement(created);
        if (where) say(where);
      }
      return EXIT.ok;
    }
    const cancel = () => {
      say(`Cancelling deployment ${created.id} ...`);
      void api.deployment.cancel
        .mutate({ project, deployment: created.id })
        .catch(() => undefined)
        .finally(() => process.exit(130));
    };
    process.once('SIGINT', cancel);
    const deadline = Date.now() + options.timeout * 1000;
    const tooLong = () =>
      new CliError(
        `Still deploying after ${options.timeout} s; follow it with: rise d s ${project} ${created.id} --follow`,
        EXIT.timeout,
      );
    let deploying: { stop(): void } = { stop: () => undefined };
    try {
      if (options.git) {
        const built = await followServerBuild(api, project, created.id, { ...options, deadline });
        if (built === 'timeout') throw tooLong();
      }
      deploying = startSpinner(deployMessages.deploying(project));
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
          // The URL of the deployment's group: the project's own for the default group.
          say(deployMessages.succeeded(deployment.url));
          const expiry = expiryNote(deployment);
          if (expiry) say(expiry);
          return EXIT.ok;
        }
        await sleep(1000);
      }
      throw tooLong();
    } finally {
      deploying.stop();
      process.off('SIGINT', cancel);
    }
  },
});
