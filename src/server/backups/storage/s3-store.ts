import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  assertSameDigest,
  assertValidKey,
  assertValidPrefix,
  type BackupStore,
  BackupStoreError,
  digestStream,
  hashingTap,
  type PutOptions,
  type StoredObject,
  throwIfAborted,
  wrapStoreError,
} from './backup-store';

export interface S3StoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  /** Folder inside the bucket; keys are stored as `<prefix>/<key>`. */
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
}

/** Object metadata field holding the hex SHA-256 of the body (sent as `x-amz-meta-sha256`). */
const SHA256_METADATA = 'sha256';

/**
 * Stores backups in an S3-compatible bucket. The body is buffered in memory and sent with one
 * PutObject (@aws-sdk/lib-storage is not installed, so no multipart yet), then verified with a HEAD
 * (size) and a full GET re-hash (checksum). The SHA-256 is also stored as object metadata.
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
        // S3-compatible servers often reject the SDK's default flexible checksums.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        maxAttempts: 3,
      });
  }

  async put(
    key: string,
    source: Readable | AsyncIterable<Buffer>,
    options: PutOptions = {},
  ): Promise<StoredObject> {
    const objectKey = this.objectKey(key);
    const { signal } = options;
    let sent = false;
    try {
      throwIfAborted(signal, key);
      const tap = hashingTap();
      const chunks: Buffer[] = [];
      for await (const chunk of tap.tap(source)) {
        throwIfAborted(signal, key);
        chunks.push(chunk);
      }
      const written = tap.digest();
      const body = Buffer.concat(chunks, written.size);
      sent = true;
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: body,
          ContentLength: written.size,
          ContentType: 'application/octet-stream',
          Metadata: { [SHA256_METADATA]: written.sha256 },
        }),
        { abortSignal: signal },
      );
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
      return { key, size: written.size, sha256: written.sha256, storedAt: head.LastModified ?? new Date() };
    } catch (error) {
      if (sent) await this.deleteObject(objectKey).catch(() => {});
      throw wrapStoreError(`Upload of "${key}" to bucket "${this.bucket}" failed`, key, error);
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
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ContinuationToken: token,
          }),
        );
        for (const item of page.Contents ?? []) {
          if (!item.Key) continue;
          const key = item.Key.slice(this.prefix.length);
          const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: item.Key }));
          objects.push({
            key,
            size: item.Size ?? head.ContentLength ?? 0,
            sha256: head.Metadata?.[SHA256_METADATA] ?? '',
            storedAt: item.LastModified ?? head.LastModified ?? new Date(0),
          });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw wrapStoreError(`Listing backups in bucket "${this.bucket}" failed`, prefix, error);
    }
    return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    const objectKey = this.objectKey(key);
    try {
      await this.deleteObject(objectKey);
    } catch (error) {
      throw wrapStoreError(`Deleting backup "${key}" from bucket "${this.bucket}" failed`, key, error);
    }
  }

  /** Releases the HTTP connections of a client this store created. */
  destroy(): void {
    this.client.destroy();
  }

  objectKey(key: string): string {
    return this.prefix + assertValidKey(key);
  }

  private async deleteObject(objectKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey }));
  }
}

/** '' or 'a/b/' — validated like a key, always ending in one slash. */
function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  assertValidKey(trimmed);
  return `${trimmed}/`;
}
