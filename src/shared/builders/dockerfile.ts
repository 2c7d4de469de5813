import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { pack } from 'tar-fs';
import type { BuilderModule } from './builder-module';
import { DockerIgnore } from './dockerignore';
import { BuildError, type Builder, type BuildInput, type BuildResult } from './types';

/** Name under which a Dockerfile that is not a file of the context (generated, or outside it) is sent. */
export const INJECTED_DOCKERFILE = '.rise.Dockerfile';

export interface DockerfileBuilderOptions {
  docker?: Dockerode;
}

/** Builds the context's Dockerfile with the local Docker engine. */
export class DockerfileBuilder implements Builder {
  readonly name = 'dockerfile' as const;
  private readonly docker: Dockerode;

  constructor(options: DockerfileBuilderOptions = {}) {
    this.docker = options.docker ?? new Dockerode();
  }

  build(input: BuildInput): Promise<BuildResult> {
    return buildWithEngine(this.docker, input, { path: input.dockerfile ?? 'Dockerfile' });
  }
}

export const dockerfileBackend: BuilderModule<'dockerfile'> = {
  name: 'dockerfile',
  create: (options) => new DockerfileBuilder({ docker: options.docker }),
};

/**
 * Sends the context (minus what `.dockerignore` excludes, or `defaultIgnore` when there is none) to
 * the engine and follows the build, passing each output line to `onLog`. The Dockerfile is a path
 * relative to the context, or its text.
 */
export async function buildWithEngine(
  docker: Dockerode,
  input: BuildInput,
  dockerfile: { path: string } | { content: string },
  options: { defaultIgnore?: string } = {},
): Promise<BuildResult> {
  const context = path.resolve(input.context);
  const info = await stat(context).catch(() => null);
  if (!info?.isDirectory()) throw new BuildError(`Build context ${context} is not a directory.`);

  let dockerfileName: string;
  let injected: string | null = null;
  if ('content' in dockerfile) {
    dockerfileName = INJECTED_DOCKERFILE;
    injected = dockerfile.content;
  } else {
    const file = path.resolve(context, dockerfile.path);
    const relative = path.relative(context, file);
    const contents = await readFile(file, 'utf8').catch(() => null);
    if (contents === null) {
      throw new BuildError(
        `No Dockerfile at ${file}. Add one, set \`dockerfile\` under [build] in .rise.toml to its path, ` +
          'or use backend = "auto" to have Rise detect the app.',
      );
    }
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      dockerfileName = INJECTED_DOCKERFILE;
      injected = contents;
    } else dockerfileName = relative.split(path.sep).join('/');
  }

  const ignoreText = await readFile(path.join(context, '.dockerignore'), 'utf8').catch(
    () => options.defaultIgnore ?? '',
  );
  const ignore = new DockerIgnore(ignoreText);
  const tar = pack(context, {
    // The engine needs the Dockerfile and .dockerignore even when .dockerignore lists them.
    ignore: (name) => {
      const relative = path.relative(context, name).split(path.sep).join('/');
      if (!relative || relative === dockerfileName || relative === '.dockerignore') return false;
      // With `!` exceptions a directory may hold files to keep: only its files are filtered.
      if (ignore.hasExceptions && isDirectorySync(name)) return false;
      return ignore.ignores(relative);
    },
    finalize: injected === null,
    finish: (archive) => {
      if (injected === null) return;
      archive.entry({ name: INJECTED_DOCKERFILE, mode: 0o644 }, injected);
      archive.finalize();
    },
  });

  // tar-fs produces a streamx stream; the engine client wants a Node stream.
  const body = new PassThrough();
  tar.on('error', (error: Error) => body.destroy(error));
  tar.pipe(body);

  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(body, {
      t: input.tag,
      dockerfile: dockerfileName,
      buildargs: input.env,
      labels: input.labels,
      rm: true,
      forcerm: true,
      abortSignal: input.signal,
    });
  } catch (error) {
    throw new BuildError(`Could not start the build with the Docker engine: ${(error as Error).message}`);
  }
  await followBuild(docker, stream, input);
  const image = await docker.getImage(input.tag).inspect();
  return { tag: input.tag, imageId: image.Id };
}

type BuildEvent = { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } };

function followBuild(docker: Dockerode, stream: NodeJS.ReadableStream, input: BuildInput): Promise<void> {
  let pending = '';
  let step: string | undefined;
  const recent: string[] = [];
  const emit = (line: string) => {
    if (/^Step \d+\/\d+ : /.test(line)) step = line;
    recent.push(line);
    if (recent.length > 20) recent.shift();
    input.onLog(line);
  };
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: BuildEvent[]) => {
        if (pending.trim()) emit(pending.trimEnd());
        pending = '';
        if (input.signal?.aborted) return reject(new BuildError('Build cancelled.'));
        const failed = events.find((event) => event.error || event.errorDetail);
        const message = error?.message ?? failed?.errorDetail?.message ?? failed?.error;
        if (!message) return resolve();
        const where = step ? ` at ${step}` : '';
        reject(
          new BuildError(`Docker build of ${input.tag} failed${where}: ${message.trim()}`, {
            step,
            output: recent.join('\n'),
          }),
        );
      },
      (event: BuildEvent) => {
        const text = event.stream ?? (event.status ? `${event.status}\n` : '');
        if (!text) return;
        const lines = (pending + text).split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) emit(line.trimEnd());
      },
    );
  });
}

function isDirectorySync(name: string): boolean {
  try {
    return statSync(name).isDirectory();
  } catch {
    return false;
  }
}
