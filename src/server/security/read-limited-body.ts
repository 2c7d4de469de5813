/** A request body over the limit: answered 413 before anything reads or stores it. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is over ${formatBytes(limit)}.`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * Reads `request`'s body into memory, refusing one over `limit` bytes: a Content-Length over the limit
 * is refused before reading, and the bytes are counted while streaming (a chunked body, or a
 * Content-Length that lies) so no more than `limit` bytes (plus one chunk) are ever held.
 */
export async function readLimitedBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit)
    throw new BodyTooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
