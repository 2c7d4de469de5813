import { describe, expect, it } from 'vitest';
import { BUILDER_BACKENDS, DEFAULT_BUILDER_BACKEND } from '../../../src/shared/builders/backends';
import { RUNTIME_NAMES } from '../../../src/shared/runtimes';
import { parseRiseToml } from './rise-toml';

// .rise.toml's backend and runtime take the names of the shared catalogues, no other.

describe('.rise.toml enums', () => {
  it('accepts every build backend of the catalogue, the default one when unset', () => {
    for (const backend of BUILDER_BACKENDS) {
      expect(parseRiseToml(`project = "api"\n[build]\nbackend = "${backend}"\n`).build?.backend).toBe(
        backend,
      );
    }
    expect(parseRiseToml('project = "api"\n[build]\n').build?.backend).toBe(DEFAULT_BUILDER_BACKEND);
  });

  it('accepts every runtime of the catalogue', () => {
    for (const runtime of RUNTIME_NAMES) {
      expect(parseRiseToml(`project = "api"\n[deploy]\nruntime = "${runtime}"\n`).deploy?.runtime).toBe(
        runtime,
      );
    }
  });
});
