import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BackupStore } from '@/server/backups/storage/backup-store';
import { hashingTap } from '@/server/backups/storage/stream-digest';

/**
 * Copies a stored backup to a private temp file and checks its size and SHA-256 against what was
 * recorded when it was taken, before any byte reaches a database. `dispose` removes the file.
 */
export async function downloadVerified(
  store: BackupStore,
  key: string,
  expected: { size: number; sha256: string },
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'rise-restore-'));
  const file = path.join(dir, 'backup');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const tap = hashingTap();
    await pipeline(tap.tap(await store.get(key)), createWriteStream(file, { mode: 0o600 }));
    const actual = tap.digest();
    if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
      throw new Error(
        `The stored backup does not match what was taken (size ${actual.size} vs ${expected.size}, sha256 ${actual.sha256.slice(0, 12)}… vs ${expected.sha256.slice(0, 12)}…); it was changed or corrupted.`,
      );
    }
    return { file, open: () => createReadStream(file), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
