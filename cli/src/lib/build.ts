import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type BaseImages,
  type BuilderBackend,
  createBuilder,
  PROJECT_IMAGE_LABEL,
} from '../../../src/shared/builders';
import { type ResolvedBaseImages, resolveBaseImages } from '../../../src/shared/builders/build-settings';
import type { Api } from './api';
import { CliError, EXIT, fromApiError } from './errors';
import { registryProblem } from './registry-errors';

class DockerCommandError extends CliError {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message, EXIT.failure);
  }
}

/** Runs the docker CLI with an argument array; resolves with its combined output. */
function docker(args: string[], input?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) =>
      reject(
        new CliError(`Cannot run docker (${error.message}); install Docker to build and push.`, EXIT.failure),
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(output)
        : reject(new DockerCommandError(`docker ${args[2] ?? args[0]} failed: ${output.trim()}`, output)),
    );
    child.stdin.end(input);
  });
}

/**
 * Builds the app in `dir` with the local Docker engine and tags it `reference`, labelled with the
 * project it is for (PROJECT_IMAGE_LABEL): Rise runs a local image only for the project it names.
 */
export async function buildImage(options: {
  dir: string;
  project: string;
  backend: BuilderBackend;
  reference: string;
  dockerfile?: string;
  context?: string;
  builder?: string;
  /** Base images of the auto builder, resolved from .rise.toml and the server's defaults. */
  images?: BaseImages;
  onLog: (line: string) => void;
}) {
  const builder = createBuilder(options.backend, { builder: options.builder, images: options.images });
  return builder.build({
    context: resolve(options.dir, options.context ?? '.'),
    dockerfile: options.dockerfile,
    tag: options.reference,
    labels: { [PROJECT_IMAGE_LABEL]: options.project },
    builder: options.builder,
    onLog: options.onLog,
  });
}

/**
 * The auto builder's base images: `.rise.toml` [build] > the Rise server's defaults (its RISE_BUILD_*
 * variables, `deployment.buildDefaults`) > the built-in ones. This machine's environment plays no part.
 * A server too old to serve defaults leaves the built-in ones, with a warning.
 */
export async function resolveBuildImages(
  api: Pick<Api, 'deployment'>,
  fromToml: Partial<BaseImages>,
): Promise<{ resolved: ResolvedBaseImages; warning: string | null }> {
  try {
    const defaults = await api.deployment.buildDefaults.query();
    return { resolved: resolveBaseImages({ riseToml: fromToml, server: defaults.images }), warning: null };
  } catch (error) {
    const code = (error as { data?: { code?: string } })?.data?.code;
    if (code !== 'NOT_FOUND') throw fromApiError(error);
    return {
      resolved: resolveBaseImages({ riseToml: fromToml }),
      warning:
        'This Rise server does not serve build defaults (it is older than this CLI): building with the built-in base images and .rise.toml.',
    };
  }
}

/** Gives the built image a second name, e.g. `<registry>/<project>:latest` besides the deployment id. */
export async function tagImage(source: string, target: string) {
  await docker(['tag', source, target]);
}

/**
 * Logs in with short-lived credentials in a throwaway DOCKER_CONFIG (the user's own Docker login is
 * never touched), pushes each reference (the first one's digest pins the deployment; the others are
 * further tags of the same image, e.g. `:latest`) and returns the pushed manifest digest. A registry
 * docker cannot reach is named with its fix rather than docker's dial error.
 */
export async function pushImage(
  references: [string, ...string[]],
  credentials: { host: string; username: string; password: string },
  onLog: (line: string) => void = () => {},
) {
  const config = mkdtempSync(join(tmpdir(), 'rise-docker-config-'));
  const talkingToRegistry = async (args: string[], input?: string) => {
    try {
      return await docker(['--config', config, ...args], input);
    } catch (error) {
      const problem =
        error instanceof DockerCommandError ? registryProblem(credentials.host, error.output) : null;
      throw problem ?? error;
    }
  };
  try {
    await talkingToRegistry(
      ['login', credentials.host, '--username', credentials.username, '--password-stdin'],
      credentials.password,
    );
    let pinned: string | undefined;
    for (const reference of references) {
      const output = await talkingToRegistry(['push', reference]);
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
      if (!digest) throw new CliError(`docker push ${reference} reported no digest:\n${output}`);
      if (pinned && digest !== pinned)
        throw new CliError(
          `docker push ${reference} pushed ${digest}, not the image just pushed (${pinned}).`,
        );
      pinned ??= digest;
      onLog(pushSummary(reference, output, digest));
    }
    return pinned as string;
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}

/** One line for a `docker push`: the layers it uploaded and those the registry already had. */
export function pushSummary(reference: string, output: string, digest: string): string {
  const layers = new Map<string, string>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^([0-9a-f]{12,}): (Pushed|Layer already exists|Mounted from .+)$/.exec(line.trim());
    if (match) layers.set(match[1]!, match[2]!);
  }
  const uploaded = [...layers.values()].filter((status) => status === 'Pushed').length;
  const present = layers.size - uploaded;
  const plural = (count: number) => `${count} layer${count === 1 ? '' : 's'}`;
  return `Pushed ${reference}: ${plural(uploaded)} uploaded, ${plural(present)} already in the registry (${digest})`;
}
