import type Dockerode from 'dockerode';
import type { BaseImages } from './auto/generate';
import type { Builder, ExternalToolOptions } from './types';

/** What the caller (the CLI, later the worker) passes every backend; each takes what it uses. */
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

/** One build backend as the registry (registry.ts) lists it; its name and description are in backends.ts. */
export interface BuilderModule<Name extends string = string> {
  readonly name: Name;
  create(options: BuilderOptions): Builder;
}
