import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/server/platform/free-port';

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export type TestS3Server = {
  endpoint: string;
  /** s3rver accepts any request signed with these. */
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
};

/** A real S3-compatible server (s3rver) on a free local port, with `buckets` created, data in a temp dir. */
export async function startS3Server(buckets: string[]): Promise<TestS3Server> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'rise-s3rver-'));
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
