import { describe, expect, it } from 'vitest';
import { BuildBackend } from '@/generated/prisma/enums';
import { BUILDER_BACKENDS } from '@/shared/builders/backends';
import { RUNTIME_NAMES } from '@/shared/runtimes';
import { buildBackend, projectRuntime } from './project.schema';

describe('project schema enums', () => {
  it('accept exactly the runtimes of the catalogue', () => {
    expect(projectRuntime.options).toEqual(RUNTIME_NAMES);
  });

  it('accept exactly the build backends of the catalogue, which the database column stores', () => {
    expect(buildBackend.options).toEqual(BUILDER_BACKENDS);
    // A backend added to the catalogue needs its value in prisma/schema.prisma's enum (and a migration).
    expect(Object.values(BuildBackend).sort()).toEqual([...BUILDER_BACKENDS].sort());
  });
});
