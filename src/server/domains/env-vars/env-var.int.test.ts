import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../../test/fixtures';

describe('env.reveal', () => {
  it('returns a secret value on demand and records who revealed which key, never the value', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('env');
    await api.project.create({ name: project });
    await api.env.set({
      project,
      vars: [
        { key: 'API_KEY', value: 'tops3cret', secret: true },
        { key: 'LOG_LEVEL', value: 'debug', secret: false },
      ],
    });

    const listed = await api.env.list({ project });
    expect(listed.find((v) => v.key === 'API_KEY')?.value).toBeNull();
    expect(await api.env.reveal({ project, key: 'API_KEY' })).toEqual({ key: 'API_KEY', value: 'tops3cret' });
    expect(await api.env.reveal({ project, key: 'LOG_LEVEL' })).toEqual({ key: 'LOG_LEVEL', value: 'debug' });

    const reveals = await getDb().auditEvent.findMany({
      where: { action: 'env.reveal', targetName: project },
    });
    // Plain values are in the listing already; only the secret's reveal is worth an audit entry.
    expect(reveals.map((event) => event.details)).toEqual([{ key: 'API_KEY' }]);
    expect(JSON.stringify(reveals)).not.toContain('tops3cret');

    const missing = await rejectionOf(api.env.reveal({ project, key: 'NOPE' }), TRPCError);
    expect(missing.message).toBe(`Env var 'NOPE' is not set on project '${project}'.`);
  });
});

describe('env.set', () => {
  it("refuses PORT, which Rise sets to the project's port, and saves nothing of the request", async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('env');
    await api.project.create({ name: project, port: 3001 });
    const refused = await rejectionOf(
      api.env.set({
        project,
        vars: [
          { key: 'LOG_LEVEL', value: 'debug', secret: false },
          { key: 'PORT', value: '9999', secret: false },
        ],
      }),
      TRPCError,
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toContain('PORT cannot be set as an env var of project');
    expect(refused.message).toContain('--port');
    expect(await api.env.list({ project })).toEqual([]);
    // Other spellings are other variables (names are case-sensitive), as are prefixed ones.
    await api.env.set({
      project,
      vars: [
        { key: 'port', value: '1', secret: false },
        { key: 'ADMIN_PORT', value: '2', secret: false },
      ],
    });
    expect((await api.env.list({ project })).map((v) => v.key).sort()).toEqual(['ADMIN_PORT', 'port']);
  });
});
