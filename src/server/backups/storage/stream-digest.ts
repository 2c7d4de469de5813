import { createHash } from 'node:crypto';
import { BackupStoreError } from './backup-store';

export interface Digest {
  size: number;
  sha256: string;
}

/** Passes chunks through while counting bytes and hashing them; `digest()` is valid once drained. */
export function hashingTap(): {
  tap: (source: AsyncIterable<Buffer | Uint8Array | string>) => AsyncGenerator<Buffer>;
  digest: () => Digest;
} {
  const hash = createHash('sha256');
  let size = 0;
  let done = false;
  return {
    async *tap(source) {
      for await (const chunk of source) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
        hash.update(buffer);
        size += buffer.length;
        yield buffer;
      }
      done = true;
    },
    digest() {
      if (!done) throw new BackupStoreError('Digest requested before the stream was fully read');
      return { size, sha256: hash.digest('hex') };
    },
  };
}

/** Reads a stream to its end, returning its size and SHA-256. */
export async function digestStream(source: AsyncIterable<Buffer | Uint8Array | string>): Promise<Digest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    hash.update(buffer);
    size += buffer.length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Throws BackupStoreError when the read-back digest differs from the digest of what was written. */
export function assertSameDigest(key: string, written: Digest, readBack: Digest): void {
  if (written.size !== readBack.size) {
    throw new BackupStoreError(
      `Backup verification failed for "${key}": wrote ${written.size} bytes, store holds ${readBack.size}`,
      { key, expectedSize: written.size, actualSize: readBack.size },
    );
  }
  if (written.sha256 !== readBack.sha256) {
    throw new BackupStoreError(`Backup verification failed for "${key}": checksum mismatch`, {
      key,
      expectedSha256: written.sha256,
      actualSha256: readBack.sha256,
    });
  }
}
