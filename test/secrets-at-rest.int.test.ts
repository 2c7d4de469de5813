import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { resolveEnvForRuntime } from '@/server/domains/env-vars/env-var.service';
import { apiAs, createUser, uniqueName, userCaller } from './fixtures';

const run = promisify(execFile);

describe('secret env values at rest', () => {
  it('never appear in plaintext in a pg_dump of the database, yet decrypt for the runtime', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const project = await api.project.create({ name: uniqueName('vault') });
    const secret = `s3cr3t-${uniqueName('value')}`;
    const plain = `visible-${uniqueName('value')}`;
    const listed = await api.env.set({
      project: project.name,
      vars: [
        { key: 'DATABASE_PASSWORD', value: secret, secret: true },
        { key: 'LOG_LEVEL', value: plain, secret: false },
      ],
    });
    expect(listed).toEqual([
      expect.objectContaining({ key: 'DATABASE_PASSWORD', value: null, secret: true }),
      expect.objectContaining({ key: 'LOG_LEVEL', value: plain, secret: false }),
    ]);

    const { stdout: dump } = await run('pg_dump', ['--dbname', process.env.DATABASE_URL!, '--data-only'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain(plain);
    expect(dump).toContain('DATABASE_PASSWORD');
    expect(dump).not.toContain(secret);
    // Nor in the audit log, which records keys only.
    expect(JSON.stringify(await getDb().auditEvent.findMany())).not.toContain(secret);

    const runtimeEnv = await resolveEnvForRuntime(
      (await getDb().project.findUniqueOrThrow({ where: { name: project.name } })).id,
    );
    expect(runtimeEnv).toEqual({ DATABASE_PASSWORD: secret, LOG_LEVEL: plain });
  });
});
