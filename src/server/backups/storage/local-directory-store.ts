import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidKey,
  assertValidPrefix,
  type BackupStore,
  BackupStoreError,
  type PutOptions,
  type StoredObject,
  throwIfAborted,
  wrapStoreError,
} from './backup-store';
import { assertSameDigest, digestStream, hashingTap } from './stream-digest';

/** Reserved top-level folder holding partial uploads and checksum records; never a key. */
const INTERNAL_DIR = '.rise-backup-store';

interface ObjectRecord {
  size: number;
  sha256: string;
  storedAt: string;
}

/**
 * Stores backups as files under one directory. Uploads go to a temp file which is renamed into place,
 * then read back and verified; checksums are recorded next to (not inside) the key space.
 */
export class LocalDirectoryStore implements BackupStore {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    if (!root || !isAbsolute(root))
      throw new BackupStoreError('Local backup path must be absolute', { path: root });
    this.root = resolve(root);
  }

  async put(
    key: string,
    source: Readable | AsyncIterable<Buffer>,
    options: PutOptions = {},
  ): Promise<StoredObject> {
    const target = this.pathFor(key);
    const tempDir = join(this.root, INTERNAL_DIR, 'tmp');
    const temp = join(tempDir, `${randomUUID()}.partial`);
    const tap = hashingTap();
    let renamed = false;
    try {
      throwIfAborted(options.signal, key);
      await mkdir(tempDir, { recursive: true });
      await mkdir(dirname(target), { recursive: true });
      await pipeline(tap.tap(source), createWriteStream(temp, { flags: 'wx' }), { signal: options.signal });
      const written = tap.digest();
      throwIfAborted(options.signal, key);
      await rename(temp, target);
      renamed = true;
      const info = await stat(target);
      const storedAt = info.mtime;
      const readBack = await digestStream(await this.get(key));
      assertSameDigest(key, written, readBack);
      await this.writeRecord(key, {
        size: written.size,
        sha256: written.sha256,
        storedAt: storedAt.toISOString(),
      });
      return { key, size: written.size, sha256: written.sha256, storedAt };
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {});
      if (renamed) await this.delete(key).catch(() => {});
      throw wrapStoreError(`Upload of "${key}" to local directory failed`, key, error);
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathFor(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new BackupStoreError(`Backup "${key}" not found`, { key });
    } catch (error) {
      throw wrapStoreError(`Backup "${key}" not readable`, key, error);
    }
    return createReadStream(path);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertValidPrefix(prefix);
    const keys: string[] = [];
    await this.walk(this.root, keys);
    const matching = keys.filter((key) => key.startsWith(prefix)).sort();
    const objects: StoredObject[] = [];
    for (const key of matching) objects.push(await this.describe(key));
    return objects;
  }

  async delete(key: string): Promise<void> {
    const path = this.pathFor(key);
    try {
      await rm(path, { force: true });
      await rm(this.recordPath(key), { force: true });
    } catch (error) {
      throw wrapStoreError(`Deleting backup "${key}" failed`, key, error);
    }
  }

  /** Maps a key to its file, refusing anything that would land outside the root or in internal files. */
  pathFor(key: string): string {
    assertValidKey(key);
    if (key.split('/')[0] === INTERNAL_DIR)
      throw new BackupStoreError('Invalid backup key: reserved name', { key });
    const path = resolve(this.root, ...key.split('/'));
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw new BackupStoreError('Invalid backup key: escapes the backup directory', { key });
    }
    return path;
  }

  private recordPath(key: string): string {
    return `${join(this.root, INTERNAL_DIR, 'meta', ...key.split('/'))}.json`;
  }

  private async writeRecord(key: string, record: ObjectRecord): Promise<void> {
    const path = this.recordPath(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(record));
  }

  private async describe(key: string): Promise<StoredObject> {
    const info = await stat(this.pathFor(key));
    try {
      const record = JSON.parse(await readFile(this.recordPath(key), 'utf8')) as ObjectRecord;
      if (record.size === info.size)
        return { key, size: record.size, sha256: record.sha256, storedAt: info.mtime };
    } catch {
      // No record (file placed by hand) or unreadable: fall back to hashing the file.
    }
    const digest = await digestStream(createReadStream(this.pathFor(key)));
    return { key, size: digest.size, sha256: digest.sha256, storedAt: info.mtime };
  }

  private async walk(dir: string, out: string[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw wrapStoreError('Listing backups failed', '', error);
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (dir === this.root && entry.name === INTERNAL_DIR) continue;
      if (entry.isDirectory()) await this.walk(full, out);
      else if (entry.isFile()) out.push(relative(this.root, full).split(sep).join('/'));
    }
  }
}
