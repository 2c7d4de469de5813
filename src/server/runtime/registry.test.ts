import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { AppError } from '@/server/errors';
import { DEFAULT_RUNTIME, isRuntimeName, RUNTIME_NAMES, RUNTIMES } from '@/shared/runtimes';
import { RUNTIME_MODULES, runtimeModule } from './registry';

describe('runtime registry', () => {
  it('has one module per catalogue runtime, under its own name, and nothing else', () => {
    expect(Object.keys(RUNTIME_MODULES).sort()).toEqual([...RUNTIME_NAMES].sort());
    for (const { name } of RUNTIMES) expect(runtimeModule(name).name).toBe(name);
    expect(RUNTIME_NAMES).toContain(DEFAULT_RUNTIME);
  });

  it('refuses a runtime the catalogue lacks, naming the known ones', () => {
    expect(isRuntimeName('nomad')).toBe(false);
    let error: unknown;
    try {
      runtimeModule('nomad');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PRECONDITION_FAILED');
    for (const name of RUNTIME_NAMES) expect((error as AppError).message).toContain(`'${name}'`);
  });

  it("gives every module's settings as plain JSON values (they key the shared runtime)", () => {
    const env = parseEnv({ RISE_URL: 'https://rise.example.com', RISE_INSTANCE_ID: 'blue' });
    for (const name of RUNTIME_NAMES) {
      const settings = runtimeModule(name).settings(env);
      expect(JSON.parse(JSON.stringify(settings))).toEqual(settings);
    }
  });
});
