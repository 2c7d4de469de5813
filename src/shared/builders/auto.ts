import Dockerode from 'dockerode';
import { detectApp } from './auto/detect';
import { type BaseImages, DEFAULT_BASE_IMAGES, generateDockerfile } from './auto/generate';
import type { BuilderModule } from './builder-module';
import { buildWithEngine } from './dockerfile';
import type { Builder, BuildInput, BuildResult } from './types';

/** Left out of generated builds when the app has no .dockerignore of its own. */
const DEFAULT_IGNORE = ['.git', 'node_modules', '.rise'].join('\n');

export interface AutoBuilderOptions {
  docker?: Dockerode;
  /** Base images of generated Dockerfiles; unset ones are the public defaults. */
  images?: Partial<BaseImages>;
}

/** Uses the app's Dockerfile if there is one, else detects the stack and generates a Dockerfile. */
export class AutoBuilder implements Builder {
  readonly name = 'auto' as const;
  private readonly docker: Dockerode;
  private readonly images: BaseImages;

  constructor(options: AutoBuilderOptions = {}) {
    this.docker = options.docker ?? new Dockerode();
    this.images = { ...DEFAULT_BASE_IMAGES, ...options.images };
  }

  async build(input: BuildInput): Promise<BuildResult> {
    const app = await detectApp(input.context, { dockerfile: input.dockerfile });
    if (app.kind === 'dockerfile') {
      input.onLog(`Building with ${app.dockerfile}`);
      return buildWithEngine(this.docker, input, { path: app.dockerfile });
    }
    const dockerfile = generateDockerfile(app, this.images);
    input.onLog(`No Dockerfile found; detected a ${describe(app.kind)}.`);
    if (app.kind === 'node') for (const note of app.notes) input.onLog(note);
    input.onLog('Generated Dockerfile:');
    for (const line of dockerfile.trimEnd().split('\n')) input.onLog(`  ${line}`);
    return buildWithEngine(this.docker, input, { content: dockerfile }, { defaultIgnore: DEFAULT_IGNORE });
  }
}

function describe(kind: 'node' | 'python' | 'go' | 'static'): string {
  return { node: 'Node.js app', python: 'Python app', go: 'Go app', static: 'static site' }[kind];
}

export const autoBackend: BuilderModule<'auto'> = {
  name: 'auto',
  create: (options) => new AutoBuilder({ docker: options.docker, images: options.images }),
};
