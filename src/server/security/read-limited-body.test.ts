import { describe, expect, it } from 'vitest';
import { BodyTooLarge, readLimitedBody } from './read-limited-body';

const streamOf = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });

const post = (body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}) =>
  new Request('http://rise.test/hook', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readLimitedBody', () => {
  it('returns a body up to the limit byte for byte', async () => {
    const body = await readLimitedBody(post(streamOf('ab', 'cd', 'ef')), 6);
    expect(new TextDecoder().decode(body)).toBe('abcdef');
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(1));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = post(stream, { 'content-length': '1048577' });
    await expect(readLimitedBody(request, 1024 * 1024)).rejects.toThrow('The request body is over 1 MiB.');
    expect(pulled).toBe(0);
  });

  it('refuses a streamed body that grows past the limit, whatever Content-Length said', async () => {
    const error = await readLimitedBody(post(streamOf('1234', '5678'), { 'content-length': '4' }), 6).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BodyTooLarge);
    expect((error as BodyTooLarge).message).toBe('The request body is over 6 bytes.');
  });
});
