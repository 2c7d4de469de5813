import type Dockerode from 'dockerode';
import { AutoBuilder } from './auto';
import type { BaseImages } from './auto/generate';
import { BuildpacksBuilder } from './buildpacks';
import { DockerfileBuilder } from './dockerfile';
import type { ExternalToolOptions } from './external';
import { NixpacksBuilder } from './nixpacks';
import { RailpackBuilder } from './railpack';
import { BUILDER_BACKENDS, type Builder, type BuilderBackend } from './types';

export { UnknownProjectError } from './auto/detect';
export { type BaseImages, baseImagesFromEnv, DEFAULT_BASE_IMAGES } from './auto/generate';
export { DEFAULT_BUILDPACKS_BUILDER } from './buildpacks';
export * from './types';

export interface BuilderOptions extends ExternalToolOptions {
  docker?: Dockerode;
  /**
   * Base images for `auto`, resolved by the caller (see build-settings.ts: .rise.toml > the server's
   * RISE_BUILD_* > built-in); unset ones are the built-in defaults. The process environment is not read.
   */
  images?: Partial<BaseImages>;
  /** Default buildpacks builder image when the build input names none. */
  builder?: string;
}

export function isBuilderBackend(value: string): value is BuilderBackend {
  return (BUILDER_BACKENDS as readonly string[]).includes(value);
}

/** The builder for a `.rise.toml` `[build] backend` value. */
export function createBuilder(backend: BuilderBackend, options: BuilderOptions = {}): Builder {
  switch (backend) {
    case 'auto':
      return new AutoBuilder({
        docker: options.docker,
        images: options.images,
      });
    case 'dockerfile':
      return new DockerfileBuilder({ docker: options.docker });
    case 'buildpacks':
      return new BuildpacksBuilder(options);
    case 'nixpacks':
      return new NixpacksBuilder(options);
    case 'railpack':
      return new RailpackBuilder(options);
    default:
      throw new Error(
        `Unknown build backend '${backend as string}': expected one of ${BUILDER_BACKENDS.join(', ')}.`,
      );
  }
}
