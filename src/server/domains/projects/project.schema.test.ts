import { describe, expect, it } from 'vitest';
import { BuildBackend } from '@/generated/prisma/enums';
import { BUILDER_BACKENDS } from '@/shared/builders/backends';
import { RUNTIME_NAMES } from '@/shared/runtimes';
import { buildBackend, projectRuntime, updateProjectInput } from './project.schema';

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

describe('project settings: commands', () => {
  it('store a command as its argument vector; null clears it; absent leaves it', () => {
    const input = updateProjectInput.parse({
      project: 'api',
      startCommand: 'node server.js',
      releaseCommand: ['rake', 'db:migrate'],
      postDeployCommand: null,
    });
    expect(input.startCommand).toEqual(['/bin/sh', '-c', 'node server.js']);
    expect(input.releaseCommand).toEqual(['rake', 'db:migrate']);
    expect(input.postDeployCommand).toEqual([]);
    expect(updateProjectInput.parse({ project: 'api' }).startCommand).toBeUndefined();
  });

  it('refuse an empty command with a message that says what to write', () => {
    const result = updateProjectInput.safeParse({ project: 'api', releaseCommand: '  ' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected a command, e.g. "node server.js"');
  });
});
