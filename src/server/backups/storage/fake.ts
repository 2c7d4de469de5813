import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  assertValidKey,
  assertValidPrefix,
  type BackupStore,
  BackupStoreError,
  type StoredObject,
} from './backup-store';

/**
 * An in-memory BackupStore for unit tests. `failures` makes the next call of a method throw;
 * `replace` changes an object behind the store's back (a corrupted or tampered file). The real
 * stores are covered by backup-store.int.test.ts.
 */
export class FakeBackupStore implements BackupStore {
  readonly kind = 'local' as const;
  readonly objects = new Map<string, { bytes: Buffer; storedAt: Date }>();
  readonly failures: Partial<Record<'put' | 'get' | 'delete', Error>> = {};

  async put(key: string, source: Readable | AsyncIterable<Buffer>): Promise<StoredObject> {
    assertValidKey(key);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of source) chunks.push(Buffer.from(chunk as Buffer));
    } catch (error) {
      throw new BackupStoreError(`Upload of "${key}" failed: ${(error as Error).message}`, { key });
    }
    this.throwIfFailing('put');
    const bytes = Buffer.concat(chunks);
    const storedAt = new Date();
    this.objects.set(key, { bytes, storedAt });
    return { key, storedAt, ...digest(bytes) };
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    this.throwIfFailing('get');
    const object = this.objects.get(key);
    if (!object) throw new BackupStoreError(`Backup "${key}" not found`, { key });
    return Readable.from([object.bytes]);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertValidPrefix(prefix);
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, object]) => ({ key, storedAt: object.storedAt, ...digest(object.bytes) }));
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    this.throwIfFailing('delete');
    this.objects.delete(key);
  }

  /** Replaces the stored bytes of `key` without the store noticing. */
  replace(key: string, bytes: Buffer): void {
    const object = this.objects.get(key);
    if (!object) throw new Error(`no object ${key}`);
    object.bytes = bytes;
  }

  private throwIfFailing(method: keyof FakeBackupStore['failures']): void {
    const error = this.failures[method];
    if (!error) return;
    delete this.failures[method];
    throw error;
  }
}

function digest(bytes: Buffer): { size: number; sha256: string } {
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
