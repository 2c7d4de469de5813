import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type OutboundGuard, outboundGuard } from '@/server/security/outbound-guard';
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

export interface S3StoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  /** Folder inside the bucket; keys are stored as `<prefix>/<key>`. */
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
  /**
   * Checks every connection to the endpoint (a project admin names it): default RISE_OUTBOUND_ALLOW's
   * guard, which refuses loopback, private, link-local and Rise's own addresses.
   */
  guard?: OutboundGuard;
}

/**
 * Legacy: objects written before streaming uploads carry their hex SHA-256 as object metadata
 * (`x-amz-meta-sha256`). `list()` still falls back to it when an object has no sidecar.
 */
const SHA256_METADATA = 'sha256';

/**
 * Suffix of the sidecar object holding an object's hex SHA-256 (`<key>.sha256`, in `sha256sum` format).
 * It is written only after the object was verified, deleted with it and never listed as a backup.
 */
export const SHA256_SIDECAR_SUFFIX = '.sha256';

/** Multipart part size: memory use is bounded by about (UPLOAD_QUEUE_SIZE + 1) parts. */
export const UPLOAD_PART_SIZE = 16 * 1024 * 1024;
/** Parts uploaded concurrently. */
export const UPLOAD_QUEUE_SIZE = 2;

/**
 * Stores backups in an S3-compatible bucket. `put` streams the body through a hashing tap into
 * @aws-sdk/lib-storage's `Upload`: one PutObject when it fits in a single part, otherwise a multipart
 * upload of UPLOAD_PART_SIZE parts (at most 10,000, so objects up to ~156 GiB), never buffering more
 * than a few parts. It then verifies with a HEAD (size) and a full GET re-hash (checksum), and only
 * then writes the SHA-256 to a `<key>.sha256` sidecar object (it is unknown until the body ended, so
 * it cannot be object metadata). Any failure or abort via `options.signal` (which cancels in-flight
 * part uploads and aborts the multipart upload) deletes the object and its sidecar. Keys ending in
 * `.sha256` are reserved for sidecars.
 */
export class S3Store implements BackupStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;

  constructor(options: S3StoreOptions, client?: S3Client) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix);
    this.client =
      client ??
      new S3Client({
        endpoint: options.endpoint,
        region: options.region,
        forcePathStyle: options.forcePathStyle,
        credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
        // S3-compatible servers often reject the SDK's default flexible checksums (lib-storage also
        // adds a CRC32 ChecksumAlgorithm to multipart uploads unless this is WHEN_REQUIRED).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
        requestHandler: { ...(options.guard ?? outboundGuard()).httpAgents(), connectionTimeout: 10_000 },
      });
  }

  async put(
    key: string,
    source: Readable | AsyncIterable<Buffer>,
    options: PutOptions = {},
  ): Promise<StoredObject> {
    const objectKey = this.objectKey(key);
    const sidecarKey = objectKey + SHA256_SIDECAR_SUFFIX;
    const { signal } = options;
    let touched = false;
    let sourceError: { error: unknown } | undefined;
    const tap = hashingTap();
    async function* read(): AsyncGenerator<Buffer> {
      const chunks = tap.tap(source);
      let finished = false;
      try {
        while (true) {
          throwIfAborted(signal, key);
          // Raced against the signal, so an abort gets through even while the source is stalled.
          const next = await untilAborted(chunks.next(), signal, key);
          if (next.done) break;
          yield next.value;
        }
        finished = true;
      } catch (error) {
        sourceError ??= { error };
        throw error;
      } finally {
        if (!finished) chunks.return(undefined).catch(() => {});
      }
    }
    const body = Readable.from(read());
    try {
      throwIfAborted(signal, key);
      touched = true;
      // A sidecar means "verified": drop any stale one before the object can change.
      await this.deleteObject(sidecarKey, signal);
      const upload = new Upload({
        client: withRequestAbort(this.client, signal),
        params: { Bucket: this.bucket, Key: objectKey, Body: body, ContentType: 'application/octet-stream' },
        partSize: UPLOAD_PART_SIZE,
        queueSize: UPLOAD_QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
      throwIfAborted(signal, key);
      const written = tap.digest();

      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
        abortSignal: signal,
      });
      if (head.ContentLength !== written.size) {
        throw new BackupStoreError(
          `Backup verification failed for "${key}": wrote ${written.size} bytes, store reports ${head.ContentLength}`,
          { key, expectedSize: written.size, actualSize: head.ContentLength },
        );
      }
      const readBack = await digestStream(await this.get(key));
      assertSameDigest(key, written, readBack);
      throwIfAborted(signal, key);

      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: sidecarKey,
          Body: sidecarBody(written.sha256, objectKey),
          ContentType: 'text/plain; charset=utf-8',
        }),
        { abortSignal: signal },
      );
      throwIfAborted(signal, key);
      return { key, size: written.size, sha256: written.sha256, storedAt: head.LastModified ?? new Date() };
    } catch (error) {
      body.destroy();
      if (touched) {
        await this.deleteObject(objectKey).catch(() => {});
        await this.deleteObject(sidecarKey).catch(() => {});
      }
      // The uploader may report a follow-up failure (e.g. AbortMultipartUpload being refused) instead
      // of the cause; report the abort or the source's own error first.
      const cause = signal?.aborted
        ? new BackupStoreError(`Upload of "${key}" was aborted`, { key })
        : (sourceError?.error ?? error);
      throw wrapStoreError(`Upload of "${key}" to bucket "${this.bucket}" failed`, key, cause);
    }
  }

  async get(key: string): Promise<Readable> {
    const objectKey = this.objectKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      if (!response.Body) throw new BackupStoreError(`Backup "${key}" has no body`, { key });
      return response.Body as Readable;
    } catch (error) {
      throw wrapStoreError(`Reading backup "${key}" from bucket "${this.bucket}" failed`, key, error);
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertValidPrefix(prefix);
    const objects: StoredObject[] = [];
    try {
      // Collect every page first: an object and its sidecar need not be on the same page.
      const items: { Key: string; Size?: number; LastModified?: Date }[] = [];
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ContinuationToken: token,
          }),
        );
        for (const item of page.Contents ?? []) if (item.Key) items.push({ ...item, Key: item.Key });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      const keys = new Set(items.map((item) => item.Key));
      for (const item of items) {
        if (item.Key.endsWith(SHA256_SIDECAR_SUFFIX)) continue;
        const sidecarKey = item.Key + SHA256_SIDECAR_SUFFIX;
        let sha256 = keys.has(sidecarKey) ? await this.readSidecar(sidecarKey) : undefined;
        let head: HeadObjectCommandOutput | undefined;
        if (sha256 === undefined) {
          head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: item.Key }));
          sha256 = head.Metadata?.[SHA256_METADATA] ?? '';
        }
        objects.push({
          key: item.Key.slice(this.prefix.length),
          size: item.Size ?? head?.ContentLength ?? 0,
          sha256,
          storedAt: item.LastModified ?? head?.LastModified ?? new Date(0),
        });
      }
    } catch (error) {
      throw wrapStoreError(`Listing backups in bucket "${this.bucket}" failed`, prefix, error);
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      // The object first: a leftover sidecar is invisible, a leftover object without one is not.
      await this.deleteObject(objectKey);
      await this.deleteObject(objectKey + SHA256_SIDECAR_SUFFIX);
    } catch (error) {
      throw wrapStoreError(`Deleting backup "${key}" from bucket "${this.bucket}" failed`, key, error);
    }
  }

  /** Releases the HTTP connections of a client this store created. */
  destroy(): void {
    this.client.destroy();
  }

  objectKey(key: string): string {
    assertValidKey(key);
    if (key.endsWith(SHA256_SIDECAR_SUFFIX)) {
      throw new BackupStoreError(
        `Invalid backup key: keys ending in "${SHA256_SIDECAR_SUFFIX}" are reserved`,
        {
          key,
        },
      );
    }
    return this.prefix + key;
  }

  private async deleteObject(objectKey: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }), {
      abortSignal: signal,
    });
  }

  /** The hex SHA-256 in a sidecar, or undefined when it is gone or malformed. */
  private async readSidecar(sidecarKey: string): Promise<string | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: sidecarKey }));
      const text = (await response.Body?.transformToString('utf-8')) ?? '';
      return /^([0-9a-f]{64})\b/.exec(text.trim())?.[1];
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (a late rejection of `promise` is then ignored). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, key: string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BackupStoreError(`Upload of "${key}" was aborted`, { key }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `sha256sum` format, so `sha256sum -c` can check a downloaded backup against its sidecar. */
function sidecarBody(sha256: string, objectKey: string): string {
  return `${sha256}  ${objectKey.slice(objectKey.lastIndexOf('/') + 1)}\n`;
}

/** Commands whose requests carry the body: cancelled at once when the upload is aborted. */
const ABORTABLE_UPLOAD_COMMANDS = [PutObjectCommand, UploadPartCommand];

/**
 * The client as `Upload` sees it: body-carrying requests get `signal`, so an abort cancels in-flight
 * parts. Create/CompleteMultipartUpload are left to finish (so the upload ID is known and the result
 * can be cleaned up), and AbortMultipartUpload must run after the signal fired.
 */
function withRequestAbort(client: S3Client, signal: AbortSignal | undefined): S3Client {
  if (!signal) return client;
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>;
  return new Proxy(client, {
    get(target, property) {
      if (property !== 'send') return Reflect.get(target, property, target);
      return (command: unknown, options?: object) =>
        send(
          command,
          ABORTABLE_UPLOAD_COMMANDS.some((type) => command instanceof type)
            ? { ...options, abortSignal: signal }
            : options,
        );
    },
  });
}

/** '' or 'a/b/' — validated like a key, always ending in one slash. */
function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertValidKey(trimmed);
  return `${trimmed}/`;
}
