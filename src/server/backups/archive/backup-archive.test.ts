import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_HEADER_LENGTH,
  ARCHIVE_MAGIC,
  archiveStages,
  BackupArchiveError,
  parseArchiveKey,
  unarchiveStages,
} from './backup-archive';

const collect = () => {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { sink, result: () => Buffer.concat(chunks) };
};

/** Feeds `data` in small uneven chunks so header and tag straddle chunk boundaries. */
const chunked = (data: Buffer, size = 7) => {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
};

const seal = async (data: Buffer, key?: Buffer) => {
  const { sink, result } = collect();
  await pipeline(chunked(data, 1000), ...archiveStages({ key }), sink);
  return result();
};

const open = async (archive: Buffer, key?: Buffer) => {
  const { sink, result } = collect();
  await pipeline(chunked(archive), ...unarchiveStages({ key }), sink);
  return result();
};

// Compressible and incompressible parts, bigger than one zlib chunk.
const payload = Buffer.concat([
  Buffer.from('COPY public.users FROM stdin;\n'.repeat(5000)),
  randomBytes(100_000),
]);
const key = randomBytes(32);

describe('backup archive', () => {
  it('round-trips an encrypted archive', async () => {
    const archive = await seal(payload, key);
    expect(archive.subarray(0, ARCHIVE_MAGIC.length).toString()).toBe('RISEBK1');
    expect(archive.includes(Buffer.from('COPY public.users'))).toBe(false);
    expect((await open(archive, key)).equals(payload)).toBe(true);
  });

  it('round-trips a compressed-only archive', async () => {
    const archive = await seal(payload);
    expect(archive.length).toBeLessThan(payload.length);
    expect((await open(archive)).equals(payload)).toBe(true);
  });

  it('round-trips an empty dump', async () => {
    expect((await open(await seal(Buffer.alloc(0), key), key)).length).toBe(0);
  });

  it('uses a fresh IV for every archive', async () => {
    const a = await seal(payload, key);
    const b = await seal(payload, key);
    expect(a.subarray(8, ARCHIVE_HEADER_LENGTH).equals(b.subarray(8, ARCHIVE_HEADER_LENGTH))).toBe(false);
  });

  it('rejects a wrong key', async () => {
    const archive = await seal(payload, key);
    await expect(open(archive, randomBytes(32))).rejects.toThrow(/failed authentication: wrong key/);
  });

  it('rejects a tampered byte in the body, the tag and the header', async () => {
    const archive = await seal(payload, key);
    for (const position of [ARCHIVE_HEADER_LENGTH + 500, archive.length - 3, 10]) {
      const altered = Buffer.from(archive);
      altered[position] = (altered[position] ?? 0) ^ 0x01;
      await expect(open(altered, key)).rejects.toBeInstanceOf(BackupArchiveError);
    }
  });

  it('rejects a tampered byte at the very end of the ciphertext with the authentication message', async () => {
    const archive = await seal(payload, key);
    const altered = Buffer.from(archive);
    const position = archive.length - 17;
    altered[position] = (altered[position] ?? 0) ^ 0x80;
    await expect(open(altered, key)).rejects.toThrow(/failed authentication/);
  });

  it('never delivers the complete dump when the tag does not verify', async () => {
    const archive = await seal(payload, key);
    const altered = Buffer.from(archive);
    altered[archive.length - 1] = (altered[archive.length - 1] ?? 0) ^ 0x01;
    const { sink, result } = collect();
    await expect(pipeline(chunked(altered, 4096), ...unarchiveStages({ key }), sink)).rejects.toThrow(
      /failed authentication/,
    );
    expect(result().length).toBeLessThan(payload.length);
  });

  it('rejects a truncated archive', async () => {
    const archive = await seal(payload, key);
    for (const length of [
      archive.length - 1,
      archive.length - 16,
      Math.floor(archive.length / 2),
      25,
      10,
      0,
    ]) {
      await expect(open(archive.subarray(0, length), key)).rejects.toBeInstanceOf(BackupArchiveError);
    }
  });

  it('rejects a truncated compressed-only archive', async () => {
    const archive = await seal(payload);
    await expect(open(archive.subarray(0, archive.length - 10))).rejects.toThrow(/corrupt/);
  });

  it('refuses to open an encrypted archive without a key, and a plain one with a key', async () => {
    await expect(open(await seal(payload, key))).rejects.toThrow(/key is required/);
    await expect(open(await seal(payload), key)).rejects.toThrow(/not encrypted/);
  });

  it('rejects data that is not an archive', async () => {
    await expect(open(Buffer.from('PGDMP this is a raw dump, not an archive'))).rejects.toThrow(/bad magic/);
  });

  it('validates key length and parses base64 or hex keys', () => {
    expect(() => archiveStages({ key: randomBytes(16) })).toThrow(/32 bytes/);
    expect(parseArchiveKey(key.toString('base64')).equals(key)).toBe(true);
    expect(parseArchiveKey(key.toString('hex')).equals(key)).toBe(true);
    expect(() => parseArchiveKey('short')).toThrow(/32 bytes/);
  });
});
