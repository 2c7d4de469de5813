import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface SpooledFile {
  path: string;
  size: number;
  /** The first bytes, to recognise the format before touching the database. */
  head: Buffer;
  dispose(): Promise<void>;
}

const HEAD = 16;

/**
 * Writes a dump to a private temporary file (directory 0700, file 0600). Restores start only once
 * the whole dump has arrived, so a source that fails half-way never leaves a half-restored database.
 */
export async function spoolToFile(chunks: AsyncIterable<Buffer>, signal?: AbortSignal): Promise<SpooledFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rise-restore-'));
  const file = path.join(dir, 'dump');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    let head = Buffer.alloc(0);
    async function* watchHead(source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        if (head.length < HEAD) head = Buffer.concat([head, chunk.subarray(0, HEAD - head.length)]);
        yield chunk;
      }
    }
    await pipeline(Readable.from(watchHead(chunks)), createWriteStream(file, { mode: 0o600 }), { signal });
    const { size } = await stat(file);
    return { path: file, size, head, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
