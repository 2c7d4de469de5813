import { describe, expect, it } from 'vitest';
import { BUILDER_BACKENDS, BUILDER_CATALOGUE, DEFAULT_BUILDER_BACKEND, isBuilderBackend } from './backends';
import { BUILDER_MODULES, createBuilder } from './registry';

describe('build backend registry', () => {
  it('lists each backend once, with a description, and has one module per backend under its name', () => {
    expect(BUILDER_BACKENDS).toEqual(BUILDER_CATALOGUE.map((backend) => backend.name));
    expect(new Set(BUILDER_BACKENDS).size).toBe(BUILDER_BACKENDS.length);
    for (const backend of BUILDER_CATALOGUE) expect(backend.description.trim()).not.toBe('');
    expect(Object.keys(BUILDER_MODULES).sort()).toEqual([...BUILDER_BACKENDS].sort());
    for (const [name, module] of Object.entries(BUILDER_MODULES)) expect(module.name).toBe(name);
    expect(BUILDER_BACKENDS).toContain(DEFAULT_BUILDER_BACKEND);
  });

  it('creates the builder of each backend under its own name', () => {
    for (const backend of BUILDER_BACKENDS) expect(createBuilder(backend).name).toBe(backend);
  });

  it('refuses a backend it does not list', () => {
    expect(isBuilderBackend('heroku')).toBe(false);
    expect(isBuilderBackend('railpack')).toBe(true);
    expect(() => createBuilder('heroku' as never)).toThrow(
      "Unknown build backend 'heroku': expected one of auto, dockerfile, buildpacks, nixpacks, railpack.",
    );
  });
});
