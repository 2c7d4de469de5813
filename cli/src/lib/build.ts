import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBuilder } from '../../../src/server/builders';
import { type BuilderBackend, PROJECT_IMAGE_LABEL } from '../../../src/server/builders/types';
import { CliError, EXIT } from './errors';
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
  onLog: (line: string) => void;
}) {
  const builder = createBuilder(options.backend, { builder: options.builder });
  return builder.build({
    context: resolve(options.dir, options.context ?? '.'),
    dockerfile: options.dockerfile,
    tag: options.reference,
    labels: { [PROJECT_IMAGE_LABEL]: options.project },
    builder: options.builder,
    onLog: options.onLog,
  });
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
    }
    return pinned as string;
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}
