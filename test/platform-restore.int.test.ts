/**
 * Disaster recovery of Rise's own database: a platform backup taken by the backup runner (encrypted,
 * to a local destination) is restored by `npm run platform:restore` over a database that changed since.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { findDestination } from '@/server/domains/backups/destination.service';
import { runBackup } from '@/server/domains/backups/run-backup';
import { backupDeps } from '@/server/jobs/backup-deps';
import { createUser, uniqueName } from './fixtures';

const backupDir = mkdtempSync(path.join(tmpdir(), 'rise-platform-restore-'));
env.RISE_BACKUP_DIR = backupDir;
afterAll(() => rmSync(backupDir, { recursive: true, force: true }));

function restoreScript(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/platform-restore.ts', ...args], {
    env: { ...process.env, RISE_BACKUP_DIR: backupDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, output })),
  );
}

describe('npm run platform:restore', () => {
  it('puts back what the database held when the backup was taken', async () => {
    const kept = await createUser({ username: uniqueName('kept') });
    const destination = await findDestination({ kind: 'platform' }, 'local');
    const backup = await getDb().backup.create({
      data: { databaseId: null, destinationId: destination.id, engine: 'platform', encrypted: true },
    });
    const result = await runBackup(backupDeps(), backup.id);
    expect(result).toMatchObject({ status: 'succeeded' });

    await getDb().user.delete({ where: { id: kept.id } });
    const later = await createUser({ username: uniqueName('later') });

    const refused = await restoreScript([backup.id]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('--yes');
    expect(await getDb().user.findUnique({ where: { id: later.id } })).not.toBeNull();

    const restored = await restoreScript([backup.id, '--yes']);
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toContain('checksum verified');
    expect(await getDb().user.findUnique({ where: { id: kept.id } })).not.toBeNull();
    expect(await getDb().user.findUnique({ where: { id: later.id } })).toBeNull();
  }, 120_000);

  it('refuses a backup id that is not a platform backup', async () => {
    const { code, output } = await restoreScript(['nosuchbackup', '--yes']);
    expect(code).toBe(1);
    expect(output).toContain('No platform backup with id nosuchbackup');
  }, 60_000);
});
