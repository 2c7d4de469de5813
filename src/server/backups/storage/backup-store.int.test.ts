import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/platform/free-port';
import { OutboundGuard } from '@/server/security/outbound-guard';
import { startS3Server, type TestS3Server } from '../../../../test/s3-server';
import { type BackupStore, BackupStoreError } from './backup-store';
import { LocalDirectoryStore } from './local-directory-store';
import { S3Store, type S3StoreOptions, UPLOAD_PART_SIZE } from './s3-store';
import { digestStream } from './stream-digest';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function* chunked(data: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Replaces every read with altered bytes, as a corrupting disk or proxy would. */
function corruptReads<T extends BackupStore>(store: T): T {
  store.get = async () => Readable.from([Buffer.from('not the bytes you wrote')]);
  return store;
}

const tempDirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function roundTrip(makeStore: () => BackupStore) {
  it('puts, gets, lists and deletes with matching checksums', async () => {
    const store = makeStore();
    const data = randomBytes(300 * 1024 + 7);
    const stored = await store.put('db1/2026-01-01.dump', chunked(data));
    expect(stored).toMatchObject({ key: 'db1/2026-01-01.dump', size: data.length, sha256: sha256(data) });
    expect(stored.storedAt).toBeInstanceOf(Date);

    await store.put('db1/2026-01-02.dump', Readable.from([Buffer.from('second')]));
    await store.put('db2/only.dump', Readable.from([Buffer.from('other db')]));
    await store.put('db1/empty.dump', chunked(Buffer.alloc(0)));

    const read = await digestStream(await store.get('db1/2026-01-01.dump'));
    expect(read).toEqual({ size: data.length, sha256: sha256(data) });

    const listed = await store.list('db1/');
    expect(listed.map((o) => o.key)).toEqual([
      'db1/2026-01-01.dump',
      'db1/2026-01-02.dump',
      'db1/empty.dump',
    ]);
    expect(listed[0]).toMatchObject({ size: data.length, sha256: sha256(data) });
    expect(listed[1]).toMatchObject({ size: 6, sha256: sha256(Buffer.from('second')) });
    expect(listed[2]).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
    expect((await store.list('')).length).toBe(4);

    await store.delete('db1/2026-01-01.dump');
    expect((await store.list('db1/')).map((o) => o.key)).toEqual(['db1/2026-01-02.dump', 'db1/empty.dump']);
    await expect(store.get('db1/2026-01-01.dump')).rejects.toBeInstanceOf(BackupStoreError);
  });

  it('detects a corrupted read-back and leaves no object behind', async () => {
    const store = corruptReads(makeStore());
    const error = await store.put('corrupt/x.dump', chunked(randomBytes(1000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupStoreError);
    expect((error as Error).message).toMatch(/verification failed/);
    expect(await store.list('corrupt/')).toEqual([]);
  });

  it('rejects a source stream that fails midway and leaves no object behind', async () => {
    const store = makeStore();
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('partial');
      throw new Error('pg_dump exited with 1');
    }
    await expect(store.put('broken/x.dump', broken())).rejects.toThrow(/pg_dump exited with 1/);
    expect(await store.list('broken/')).toEqual([]);
  });

  it('honours an aborted signal', async () => {
    const store = makeStore();
    const controller = new AbortController();
    controller.abort();
    await expect(
      store.put('aborted/x.dump', chunked(Buffer.from('x')), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(BackupStoreError);
    expect(await store.list('aborted/')).toEqual([]);
  });

  it('rejects keys that escape the destination', async () => {
    const store = makeStore();
    await expect(store.put('../escape', chunked(Buffer.from('x')))).rejects.toBeInstanceOf(BackupStoreError);
    await expect(store.get('/etc/passwd')).rejects.toBeInstanceOf(BackupStoreError);
  });
}

describe('LocalDirectoryStore', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('rise-local-store-');
  });

  roundTrip(() => new LocalDirectoryStore(root));

  it('leaves no temp files after success or failure', async () => {
    const store = new LocalDirectoryStore(root);
    await store.put('tmpcheck/ok.dump', chunked(Buffer.from('ok')));
    await corruptReads(new LocalDirectoryStore(root))
      .put('tmpcheck/bad.dump', chunked(Buffer.from('bad')))
      .catch(() => {});
    expect(await readdir(join(root, '.rise-backup-store', 'tmp'))).toEqual([]);
  });
});

describe('S3Store against s3rver', () => {
  let server: TestS3Server;
  let options: S3StoreOptions;
  const stores: S3Store[] = [];
  const makeStore = (overrides: Partial<S3StoreOptions> = {}) => {
    const store = new S3Store({ ...options, ...overrides });
    stores.push(store);
    return store;
  };
  const clients: S3Client[] = [];
  const rawClient = () => {
    const client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.push(client);
    return client;
  };
  /** A store whose client records every command it sends (`onSend` sees each one first). */
  const spiedStore = (onSend: (command: object) => void = () => {}) => {
    const client = rawClient();
    const commands: object[] = [];
    const send = client.send.bind(client) as (command: object, ...rest: unknown[]) => Promise<unknown>;
    client.send = ((command: object, ...rest: unknown[]) => {
      commands.push(command);
      onSend(command);
      return send(command, ...rest);
    }) as typeof client.send;
    return { store: new S3Store(options, client), commands };
  };
  /** Every key in the bucket under `prefix`, sidecars included. */
  const rawKeys = async (prefix: string) => {
    const page = await rawClient().send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((item) => item.Key);
  };
  /** `total` deterministic pseudo-random bytes in 1 MiB chunks, hashed as they are produced. */
  const generated = (total: number) => {
    const hash = createHash('sha256');
    const block = randomBytes(1024 * 1024);
    async function* chunks(onChunk: (sent: number) => Promise<void> | void = () => {}) {
      for (let sent = 0, i = 0; sent < total; i++) {
        const chunk = Buffer.from(block.subarray(0, Math.min(block.length, total - sent)));
        chunk.writeUInt32BE(i, 0);
        hash.update(chunk);
        sent += chunk.length;
        yield chunk;
        await onChunk(sent);
      }
    }
    return { chunks, sha256: () => hash.digest('hex') };
  };

  beforeAll(async () => {
    server = await startS3Server(['backups']);
    options = {
      endpoint: server.endpoint,
      region: 'us-east-1',
      bucket: 'backups',
      prefix: 'rise/test',
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      forcePathStyle: true,
      // s3rver listens on loopback, which the outbound guard refuses unless allowed.
      guard: new OutboundGuard({ allow: [new URL(server.endpoint).host], ownHosts: [] }),
    };
  });

  afterAll(async () => {
    for (const store of stores) store.destroy();
    for (const client of clients) client.destroy();
    await server?.close();
  });

  roundTrip(() => makeStore());

  it('stores the sha256 in a sidecar under the configured prefix, hidden from list', async () => {
    const data = Buffer.from('metadata check');
    await makeStore().put('meta/x.dump', chunked(data));
    const unprefixed = makeStore({ prefix: '' });
    const listed = await unprefixed.list('rise/test/meta/');
    expect(listed).toEqual([expect.objectContaining({ key: 'rise/test/meta/x.dump', sha256: sha256(data) })]);
    expect(await rawKeys('rise/test/meta/')).toEqual([
      'rise/test/meta/x.dump',
      'rise/test/meta/x.dump.sha256',
    ]);
    const sidecar = await rawClient().send(
      new GetObjectCommand({ Bucket: options.bucket, Key: 'rise/test/meta/x.dump.sha256' }),
    );
    expect(await sidecar.Body?.transformToString()).toBe(`${sha256(data)}  x.dump\n`);

    await makeStore().delete('meta/x.dump');
    expect(await rawKeys('rise/test/meta/')).toEqual([]);
    await expect(makeStore().put('meta/y.sha256', chunked(data))).rejects.toBeInstanceOf(BackupStoreError);
  });

  it('streams a body larger than one part as a verified multipart upload', async () => {
    const total = 40 * 1024 * 1024 + 123;
    const source = generated(total);
    const { store, commands } = spiedStore();
    const stored = await store.put('big/x.dump', source.chunks());
    const digest = source.sha256();
    expect(stored).toMatchObject({ key: 'big/x.dump', size: total, sha256: digest });

    const parts = commands.filter((c) => c instanceof UploadPartCommand);
    expect(parts).toHaveLength(Math.ceil(total / UPLOAD_PART_SIZE));
    expect(commands.filter((c) => c instanceof CompleteMultipartUploadCommand)).toHaveLength(1);

    expect(await digestStream(await store.get('big/x.dump'))).toEqual({ size: total, sha256: digest });
    expect(await makeStore().list('big/')).toEqual([
      expect.objectContaining({ key: 'big/x.dump', size: total, sha256: digest }),
    ]);
    await store.delete('big/x.dump');
    expect(await rawKeys('rise/test/big/')).toEqual([]);
  }, 60_000);

  it('reports the source error of a failed multipart upload and leaves nothing behind', async () => {
    const { store, commands } = spiedStore();
    const chunks = generated(40 * 1024 * 1024).chunks((sent) => {
      if (sent >= 36 * 1024 * 1024) throw new Error('pg_dump exited with 1');
    });
    await expect(store.put('midfail/x.dump', chunks)).rejects.toThrow(/pg_dump exited with 1/);
    expect(commands.some((c) => c instanceof UploadPartCommand)).toBe(true);
    expect(commands.some((c) => c instanceof AbortMultipartUploadCommand)).toBe(true);
    expect(await rawKeys('rise/test/midfail/')).toEqual([]);
  }, 60_000);

  it('aborts a multipart upload mid-stream, even with a stalled source, and leaves nothing behind', async () => {
    const controller = new AbortController();
    let partSent!: () => void;
    const partStarted = new Promise<void>((resolve) => {
      partSent = resolve;
    });
    const { store, commands } = spiedStore((command) => {
      if (command instanceof UploadPartCommand) partSent();
    });
    const source = generated(40 * 1024 * 1024);
    const chunks = source.chunks(async (sent) => {
      if (sent < 20 * 1024 * 1024) return;
      await partStarted;
      controller.abort();
      await new Promise(() => {}); // the dump stalls and never produces another byte
    });

    const error = await store
      .put('abort/x.dump', chunks, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupStoreError);
    expect((error as Error).message).toMatch(/aborted/);

    const aborts = commands.filter((c) => c instanceof AbortMultipartUploadCommand);
    expect(aborts).toHaveLength(1);
    expect((aborts[0] as AbortMultipartUploadCommand).input.UploadId).toEqual(expect.any(String));
    expect(commands.some((c) => c instanceof CompleteMultipartUploadCommand)).toBe(false);
    expect(await makeStore().list('abort/')).toEqual([]);
    expect(await rawKeys('rise/test/abort/')).toEqual([]);
  }, 60_000);

  it('rejects an upload to a missing bucket with BackupStoreError', async () => {
    const store = makeStore({ bucket: 'does-not-exist' });
    const error = await store.put('x.dump', chunked(Buffer.from('x'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupStoreError);
    expect((error as Error).message).not.toContain('S3RVER');
    expect(await makeStore().list('x.dump')).toEqual([]);
  });

  it('rejects when the server is unreachable', async () => {
    const deadPort = await freePort();
    const store = makeStore({
      endpoint: `http://127.0.0.1:${deadPort}`,
      guard: new OutboundGuard({ allow: [`127.0.0.1:${deadPort}`], ownHosts: [] }),
    });
    await expect(store.put('gone/x.dump', chunked(Buffer.from('x')))).rejects.toBeInstanceOf(
      BackupStoreError,
    );
    expect(await makeStore().list('gone/')).toEqual([]);
  });

  it('refuses an endpoint on a loopback or private address unless RISE_OUTBOUND_ALLOW lists it', async () => {
    const strict = new OutboundGuard({ allow: [], ownHosts: [] });
    for (const endpoint of [options.endpoint!, options.endpoint!.replace('127.0.0.1', 'localhost')]) {
      const store = makeStore({ endpoint, guard: strict });
      const error = await store.put('guarded/x.dump', chunked(Buffer.from('x'))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupStoreError);
      expect(String((error as Error).message)).toMatch(
        /Rise refused to connect to .*loopback.*RISE_OUTBOUND_ALLOW=/,
      );
      await expect(makeStore({ endpoint, guard: strict }).list('guarded/')).rejects.toThrow(/Rise refused/);
    }
    expect(await makeStore().list('guarded/')).toEqual([]);
  });
});
