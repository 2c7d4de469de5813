import { type CipherGCM, createCipheriv, createDecipheriv, type DecipherGCM, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

/**
 * Backup archive format (one file per backup):
 *
 *   magic 'RISEBK1' (7 bytes) | flags (1 byte) | IV (12 bytes, zeros when not encrypted)
 *   | body | auth tag (16 bytes, only when encrypted)
 *
 * The body is the gzip-compressed dump, AES-256-GCM-encrypted when flag ENCRYPTED is set. The
 * 20-byte header is authenticated as additional data, so flipping a flag or the IV fails the tag.
 */
export const ARCHIVE_MAGIC = Buffer.from('RISEBK1', 'ascii');
export const ARCHIVE_FLAG_GZIP = 0b01;
export const ARCHIVE_FLAG_ENCRYPTED = 0b10;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
export const ARCHIVE_HEADER_LENGTH = ARCHIVE_MAGIC.length + 1 + IV_LENGTH;
export const ARCHIVE_KEY_LENGTH = 32;
const AUTHENTICATION_FAILED =
  'Backup archive failed authentication: wrong key, or the file was altered or truncated.';

export class BackupArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupArchiveError';
  }
}

export type ArchiveOptions = {
  /** 32-byte AES-256-GCM key; without it the archive is only compressed. */
  key?: Buffer;
};

const checkKey = (key: Buffer) => {
  if (key.length !== ARCHIVE_KEY_LENGTH) {
    throw new BackupArchiveError(
      `Backup encryption key must be ${ARCHIVE_KEY_LENGTH} bytes, got ${key.length}.`,
    );
  }
};

/** Header + (optionally) AES-256-GCM over the already-compressed bytes, tag appended at the end. */
class SealArchive extends Transform {
  private readonly cipher: CipherGCM | undefined;
  private readonly header: Buffer;
  private headerWritten = false;

  constructor(key: Buffer | undefined) {
    super();
    const flags = ARCHIVE_FLAG_GZIP | (key ? ARCHIVE_FLAG_ENCRYPTED : 0);
    const iv = key ? randomBytes(IV_LENGTH) : Buffer.alloc(IV_LENGTH);
    this.header = Buffer.concat([ARCHIVE_MAGIC, Buffer.from([flags]), iv]);
    if (key) {
      checkKey(key);
      this.cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
      this.cipher.setAAD(this.header);
    }
  }

  private writeHeader() {
    if (!this.headerWritten) {
      this.headerWritten = true;
      this.push(this.header);
    }
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.writeHeader();
    callback(null, this.cipher ? this.cipher.update(chunk) : chunk);
  }

  override _flush(callback: TransformCallback) {
    this.writeHeader();
    if (this.cipher) {
      const rest = this.cipher.final();
      if (rest.length > 0) this.push(rest);
      this.push(this.cipher.getAuthTag());
    }
    callback();
  }
}

/**
 * Reads the header, decrypts (holding back the trailing tag) and verifies the tag at the end.
 * Decrypted bytes are emitted before the tag is checked: the data is untrusted until the stream
 * ends without error. Gunzip withholds its final bytes until then, and restoreDatabase kills
 * pg_restore (one transaction, never committed) when its source fails.
 */
class OpenArchive extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private decipher: DecipherGCM | undefined;
  private headerRead = false;
  encrypted = false;

  constructor(private readonly key: Buffer | undefined) {
    super();
    if (key) checkKey(key);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      if (!this.headerRead) {
        if (this.pending.length < ARCHIVE_HEADER_LENGTH) return callback();
        this.readHeader(this.pending.subarray(0, ARCHIVE_HEADER_LENGTH));
        this.pending = this.pending.subarray(ARCHIVE_HEADER_LENGTH);
      }
      if (!this.decipher) {
        const out = this.pending;
        this.pending = Buffer.alloc(0);
        return callback(null, out);
      }
      if (this.pending.length <= TAG_LENGTH) return callback();
      const ready = this.pending.subarray(0, this.pending.length - TAG_LENGTH);
      this.pending = Buffer.from(this.pending.subarray(this.pending.length - TAG_LENGTH));
      callback(null, this.decipher.update(ready));
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback) {
    if (!this.headerRead) {
      return callback(new BackupArchiveError('Backup archive is truncated: incomplete header.'));
    }
    if (!this.decipher) return callback();
    if (this.pending.length < TAG_LENGTH) {
      return callback(new BackupArchiveError('Backup archive is truncated: missing authentication tag.'));
    }
    try {
      this.decipher.setAuthTag(this.pending);
      const rest = this.decipher.final();
      callback(null, rest.length > 0 ? rest : undefined);
    } catch {
      callback(new BackupArchiveError(AUTHENTICATION_FAILED));
    }
  }

  private readHeader(header: Buffer) {
    this.headerRead = true;
    if (!header.subarray(0, ARCHIVE_MAGIC.length).equals(ARCHIVE_MAGIC)) {
      throw new BackupArchiveError('Not a Rise backup archive (bad magic).');
    }
    const flags = header[ARCHIVE_MAGIC.length] ?? 0;
    if (flags & ~(ARCHIVE_FLAG_GZIP | ARCHIVE_FLAG_ENCRYPTED) || !(flags & ARCHIVE_FLAG_GZIP)) {
      throw new BackupArchiveError(`Unsupported backup archive flags: ${flags}.`);
    }
    const encrypted = (flags & ARCHIVE_FLAG_ENCRYPTED) !== 0;
    this.encrypted = encrypted;
    if (encrypted && !this.key) {
      throw new BackupArchiveError('Backup archive is encrypted; a decryption key is required.');
    }
    if (!encrypted && this.key) {
      throw new BackupArchiveError('Backup archive is not encrypted, but a key was given.');
    }
    if (encrypted && this.key) {
      const iv = header.subarray(ARCHIVE_MAGIC.length + 1);
      this.decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_LENGTH });
      this.decipher.setAAD(header);
    }
  }
}

/**
 * Stages that turn a dump into an archive: `pipeline(dump, ...archiveStages(opts), file)`.
 */
export const archiveStages = (options: ArchiveOptions = {}): [Transform, Transform] => [
  createGzip(),
  new SealArchive(options.key),
];

/**
 * Stages that turn an archive back into the dump: `pipeline(file, ...unarchiveStages(opts), sink)`.
 * Fails with BackupArchiveError on a wrong key, altered or truncated data.
 */
export const unarchiveStages = (options: ArchiveOptions = {}): [Transform, Transform] => {
  const open = new OpenArchive(options.key);
  // With a wrong key gunzip sees garbage before the tag is checked: report that as what it is.
  const gunzip = new Gunzip((error) =>
    open.encrypted
      ? new BackupArchiveError(AUTHENTICATION_FAILED)
      : new BackupArchiveError(`Backup archive is corrupt: ${error.message}.`),
  );
  return [open, gunzip];
};

/**
 * zlib gunzip whose errors are translated by `mapError`. It holds back its last output chunk until
 * the input ended cleanly — i.e. after the authentication tag verified — so a consumer such as
 * pg_restore never sees a complete dump from an archive that fails verification.
 */
class Gunzip extends Transform {
  private readonly inner = createGunzip();
  private held: Buffer | undefined;
  private flushed: TransformCallback | undefined;

  constructor(mapError: (error: Error) => Error) {
    super();
    this.inner.on('data', (chunk: Buffer) => {
      const previous = this.held;
      this.held = chunk;
      if (previous && !this.push(previous)) this.inner.pause();
    });
    this.inner.on('error', (error) => this.destroy(mapError(error)));
    this.inner.on('end', () => {
      if (this.held) this.push(this.held);
      this.held = undefined;
      this.flushed?.();
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.inner.write(chunk, () => callback());
  }

  override _read(size: number) {
    this.inner.resume();
    super._read(size);
  }

  override _flush(callback: TransformCallback) {
    this.flushed = callback;
    this.inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.inner.destroy();
    callback(error);
  }
}

/** Parses a key given as base64 (44 chars) or hex (64 chars). */
export const parseArchiveKey = (text: string): Buffer => {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  checkKey(key);
  return key;
};
