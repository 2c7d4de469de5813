import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNTIME, RUNTIME_NAMES, RUNTIMES, runtimeLabel } from './runtimes';

describe('runtime catalogue', () => {
  it('derives the names from the entries, each once, the default among them', () => {
    expect(RUNTIME_NAMES).toEqual(RUNTIMES.map((runtime) => runtime.name));
    expect(new Set(RUNTIME_NAMES).size).toBe(RUNTIME_NAMES.length);
    expect(RUNTIME_NAMES).toContain(DEFAULT_RUNTIME);
  });

  it('labels a known runtime, and shows an unknown one as stored', () => {
    for (const runtime of RUNTIMES) expect(runtimeLabel(runtime.name)).toBe(runtime.label);
    expect(runtimeLabel('nomad')).toBe('nomad');
  });
});
