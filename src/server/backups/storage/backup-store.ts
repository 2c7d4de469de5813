import type { Readable } from 'node:stream';
import { AppError } from '@/server/errors';

/** One object held by a backup destination. */
export interface StoredObject {
  key: string;
  size: number;
  /** Lowercase hex SHA-256 of the stored bytes. */
  sha256: string;
  storedAt: Date;
}

export interface PutOptions {
  signal?: AbortSignal;
}

/**
 * A place backups are written to. `put` resolves only after the stored bytes were read back and their
 * size and SHA-256 match what was streamed in; a backup may be marked succeeded only after that.
 */
export interface BackupStore {
  readonly kind: 'local' | 's3';
  put(key: string, source: Readable | AsyncIterable<Buffer>, options?: PutOptions): Promise<StoredObject>;
  get(key: string): Promise<Readable>;
  list(prefix: string): Promise<StoredObject[]>;
  delete(key: string): Promise<void>;
}

/** Raised for any failed or unverifiable store operation. Messages never contain credentials. */
export class BackupStoreError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('INTERNAL', message, details);
    this.name = 'BackupStoreError';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

const MAX_KEY_LENGTH = 1024;

/**
 * Validates a store-relative key: forward-slash separated, not absolute, no empty, '.' or '..'
 * segments, no backslashes or control characters. Returns the key unchanged when valid.
 */
export function assertValidKey(key: string): string {
  const reject = (reason: string): never => {
    throw new BackupStoreError(`Invalid backup key: ${reason}`, { key });
  };
  if (typeof key !== 'string' || key.length === 0) return reject('key is empty');
  if (key.length > MAX_KEY_LENGTH) return reject('key is too long');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) return reject('key contains control characters');
  if (key.includes('\\')) return reject('key contains a backslash');
  if (key.startsWith('/') || /^[a-zA-Z]:/.test(key)) return reject('key is absolute');
  for (const segment of key.split('/')) {
    if (segment === '') return reject('key contains an empty segment');
    if (segment === '.' || segment === '..') return reject('key contains a relative segment');
  }
  return key;
}

/** Validates a listing prefix: empty, or a key-like string (a trailing slash is allowed). */
export function assertValidPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}

export function throwIfAborted(signal: AbortSignal | undefined, key: string): void {
  if (signal?.aborted) throw new BackupStoreError(`Upload of "${key}" was aborted`, { key });
}

/** Wraps an unknown failure as a BackupStoreError without copying credentials or request details. */
export function wrapStoreError(message: string, key: string, error: unknown): BackupStoreError {
  if (error instanceof BackupStoreError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new BackupStoreError(`${message}: ${reason}`, { key }, { cause: error });
}
