/**
 * The platform backup end to end against this file's fresh, migrated database: dump → gzip →
 * AES-256-GCM to a file, restore into a scratch database and over the original (clean), and the
 * failure paths (pg_dump errors, a tampered archive) leaving nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_MAGIC } from '../archive/backup-archive';
import { restorePlatformBackupFile, writePlatformBackupFile } from './platform-backup';
import { dumpDatabase, rowCounts } from './platform-dump';

const databaseUrl = process.env.DATABASE_URL as string;
const key = randomBytes(32);
const scratchName = `rise_restore_${randomBytes(6).toString('hex')}`;
const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};
const scratchUrl = withDatabase(databaseUrl, scratchName);
let dir: string;

const query = async <T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
};

const seed = async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (let i = 0; i < 25; i++) {
      await client.query(
        `INSERT INTO users (id, email, username, name, updated_at) VALUES ($1, $2, $3, $4, now())`,
        [`user_${i}`, `user${i}@example.test`, `user-${i}`, `Ünïcode ${i} 'quoted'`],
      );
    }
    for (let i = 0; i < 3; i++) {
      await client.query(`INSERT INTO teams (id, name, updated_at) VALUES ($1, $2, now())`, [
        `team_${i}`,
        `team-${i}`,
      ]);
      await client.query(`INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [
        `team_${i}`,
        `user_${i}`,
      ]);
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rise-platform-backup-'));
  await seed();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await query(
    withDatabase(databaseUrl, 'postgres'),
    `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(scratchName)}`,
  );
});

describe('platform backup', () => {
  let original: Record<string, number>;
  const archivePath = () => path.join(dir, 'rise.backup');

  it('dumps, compresses and encrypts the database to a file', async () => {
    original = await rowCounts(databaseUrl);
    expect(original).toMatchObject({ users: 25, teams: 3, team_members: 3 });
    expect(original).toHaveProperty('projects', 0);

    await writePlatformBackupFile(databaseUrl, archivePath(), { key });
    const bytes = await readFile(archivePath());
    expect(bytes.subarray(0, ARCHIVE_MAGIC.length).equals(ARCHIVE_MAGIC)).toBe(true);
    expect(bytes.includes(Buffer.from('user1@example.test'))).toBe(false);
    expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false);
  });

  it('restores into a scratch database with the same row counts', async () => {
    await query(databaseUrl, 'DELETE FROM team_members');
    await query(databaseUrl, 'DELETE FROM teams');
    await query(databaseUrl, 'DELETE FROM users');
    expect((await rowCounts(databaseUrl)).users).toBe(0);

    await query(databaseUrl, `CREATE DATABASE ${pg.escapeIdentifier(scratchName)}`);
    await restorePlatformBackupFile(scratchUrl, archivePath(), { key, clean: false });
    expect(await rowCounts(scratchUrl)).toEqual(original);
    const rows = await query<{ name: string }>(scratchUrl, `SELECT name FROM users WHERE id = 'user_7'`);
    expect(rows[0]?.name).toBe("Ünïcode 7 'quoted'");
  });

  it('restores over the original database with clean: true', async () => {
    await restorePlatformBackupFile(databaseUrl, archivePath(), { key, clean: true });
    expect(await rowCounts(databaseUrl)).toEqual(original);
    // Restoring twice over a live database is fine too.
    await restorePlatformBackupFile(databaseUrl, archivePath(), { key, clean: true });
    expect(await rowCounts(databaseUrl)).toEqual(original);
  });

  it('rejects a wrong key or a tampered archive and leaves the target database untouched', async () => {
    await query(databaseUrl, `DELETE FROM team_members WHERE team_id = 'team_2'`);
    const before = await rowCounts(databaseUrl);

    await expect(
      restorePlatformBackupFile(databaseUrl, archivePath(), { key: randomBytes(32), clean: true }),
    ).rejects.toThrow(/failed authentication/);
    expect(await rowCounts(databaseUrl)).toEqual(before);

    const bytes = await readFile(archivePath());
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    const tampered = path.join(dir, 'tampered.backup');
    await writeFile(tampered, bytes);
    await expect(restorePlatformBackupFile(databaseUrl, tampered, { key, clean: true })).rejects.toThrow(
      /failed authentication/,
    );
    expect(await rowCounts(databaseUrl)).toEqual(before);
  });

  it('rejects with pg_dump’s message for a wrong password and leaves no file behind', async () => {
    const url = new URL(databaseUrl);
    url.password = 'definitely-wrong-password';
    const target = path.join(dir, 'wrong-password.backup');
    const failure = writePlatformBackupFile(url.toString(), target, { key });
    await expect(failure).rejects.toThrow(/pg_dump failed \(exit code 1\): .*password authentication failed/);
    await failure.catch((error: Error) => expect(error.message).not.toContain('definitely-wrong-password'));
    expect(existsSync(target)).toBe(false);
  });

  it('rejects with pg_dump’s message for a database that does not exist and leaves no file behind', async () => {
    const target = path.join(dir, 'missing.backup');
    await expect(
      writePlatformBackupFile(withDatabase(databaseUrl, 'rise_no_such_database'), target, { key }),
    ).rejects.toThrow(/pg_dump failed .*database "rise_no_such_database" does not exist/);
    expect(existsSync(target)).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['rise.backup', 'tampered.backup']);
  });

  it('reports a missing pg_dump program clearly', async () => {
    const stream = dumpDatabase(databaseUrl, { pgDump: '/nonexistent/pg_dump' });
    await expect(stream.toArray()).rejects.toThrow(/pg_dump not found/);
  });
});
