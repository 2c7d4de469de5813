import { autoBackend } from './auto';
import { BUILDER_BACKENDS, type BuilderBackend } from './backends';
import type { BuilderModule, BuilderOptions } from './builder-module';
import { buildpacksBackend } from './buildpacks';
import { dockerfileBackend } from './dockerfile';
import { nixpacksBackend } from './nixpacks';
import { railpackBackend } from './railpack';
import type { Builder } from './types';

/**
 * Every backend of the catalogue (backends.ts) with its module: a catalogue entry without one, or a
 * module under another entry's name, does not compile.
 */
export const BUILDER_MODULES: { readonly [Name in BuilderBackend]: BuilderModule<Name> } = {
  auto: autoBackend,
  dockerfile: dockerfileBackend,
  buildpacks: buildpacksBackend,
  nixpacks: nixpacksBackend,
  railpack: railpackBackend,
};

/** The builder for a `.rise.toml` `[build] backend` value. */
export function createBuilder(backend: BuilderBackend, options: BuilderOptions = {}): Builder {
  const module: BuilderModule | undefined = Object.hasOwn(BUILDER_MODULES, backend)
    ? BUILDER_MODULES[backend]
    : undefined;
  if (!module) {
    throw new Error(
      `Unknown build backend '${backend as string}': expected one of ${BUILDER_BACKENDS.join(', ')}.`,
    );
  }
  return module.create(options);
}
