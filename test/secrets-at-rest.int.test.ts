import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { resolveDeploymentEnvForRuntime } from '@/server/domains/deployments/deployment-env.service';
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

describe('secret env overrides of a deployment at rest', () => {
  it('never appear in plaintext in a pg_dump, the audit log or the API, yet decrypt for its instances', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const project = await api.project.create({ name: uniqueName('vault') });
    await api.env.set({ project: project.name, vars: [{ key: 'FOO', value: 'project', secret: false }] });
    const secret = `s3cr3t-${uniqueName('value')}`;
    const deployment = await api.deployment.create({
      project: project.name,
      envOverrides: [
        { key: 'FOO', value: 'preview', secret: false },
        { key: 'PREVIEW_DB_PASSWORD', value: secret, secret: true },
      ],
    });
    expect(deployment.envOverrides).toEqual([
      { key: 'FOO', value: 'preview', secret: false },
      { key: 'PREVIEW_DB_PASSWORD', value: null, secret: true },
    ]);

    const { stdout: dump } = await run('pg_dump', ['--dbname', process.env.DATABASE_URL!, '--data-only'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain('PREVIEW_DB_PASSWORD');
    expect(dump).not.toContain(secret);
    expect(JSON.stringify(await getDb().auditEvent.findMany())).not.toContain(secret);
    expect(JSON.stringify(await api.deployment.list({ project: project.name }))).not.toContain(secret);

    const projectId = (await getDb().project.findUniqueOrThrow({ where: { name: project.name } })).id;
    expect(await resolveDeploymentEnvForRuntime(projectId, deployment.id)).toEqual({
      FOO: 'preview',
      PREVIEW_DB_PASSWORD: secret,
    });
  });

  it('refuses PORT, a duplicate key and a bad name as overrides', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const project = await api.project.create({ name: uniqueName('vault') });
    const create = (envOverrides: { key: string; value: string }[]) =>
      api.deployment.create({ project: project.name, envOverrides });
    await expect(create([{ key: 'PORT', value: '1' }])).rejects.toThrow(/PORT cannot be set on a deployment/);
    await expect(
      create([
        { key: 'FOO', value: '1' },
        { key: 'FOO', value: '2' },
      ]),
    ).rejects.toThrow(/Env var 'FOO' is given twice/);
    await expect(create([{ key: '1FOO', value: '1' }])).rejects.toThrow(/Env var names are letters/);
  });
});

describe('database and backup credentials at rest', () => {
  it('keep the generated database password and S3 secret key out of the dump, the audit log and the API', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const project = await api.project.create({ name: uniqueName('vault') });
    const database = await api.database.create({ project: project.name, name: 'main', engine: 'postgres' });
    const { url } = await api.database.reveal({ project: project.name, database: 'main' });
    const password = decodeURIComponent(new URL(url).password);
    expect(password.length).toBeGreaterThanOrEqual(32);
    const s3Secret = `s3-${uniqueName('secret')}`;
    const destinations = await api.backup.addDestination({
      project: project.name,
      destination: {
        kind: 's3',
        name: 'offsite',
        bucket: 'rise-backups',
        accessKeyId: 'AKIA',
        secretAccessKey: s3Secret,
      },
    });

    const { stdout: dump } = await run('pg_dump', ['--dbname', process.env.DATABASE_URL!, '--data-only'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain(database.host);
    for (const secret of [password, s3Secret]) {
      expect(dump).not.toContain(secret);
      expect(JSON.stringify(await getDb().auditEvent.findMany())).not.toContain(secret);
    }
    expect(JSON.stringify(await api.database.get({ project: project.name, database: 'main' }))).not.toContain(
      password,
    );
    expect(
      JSON.stringify([destinations, await api.backup.destinations({ project: project.name })]),
    ).not.toContain(s3Secret);
    expect(url).toBe(`postgres://app:${encodeURIComponent(password)}@${database.host}:5432/app`);
  });
});
