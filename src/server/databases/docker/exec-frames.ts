/** One frame of a non-TTY docker exec/attach/logs stream: 1 = stdout, 2 = stderr. */
export interface ExecFrame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

const HEADER = 8;

/**
 * Splits Docker's multiplexed stream (8-byte header: stream type, 3 zero bytes, big-endian length)
 * into frames. Incremental, so a frame may span any number of chunks.
 */
export class ExecFrameParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ExecFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: ExecFrame[] = [];
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER + length) break;
      const type = this.pending[0];
      const data = this.pending.subarray(HEADER, HEADER + length);
      this.pending = this.pending.subarray(HEADER + length);
      // Type 0 (stdin) is only echoed with a TTY; it carries nothing we want.
      if (type === 1) frames.push({ stream: 'stdout', data });
      else if (type === 2) frames.push({ stream: 'stderr', data });
    }
    return frames;
  }

  /** Bytes of an incomplete frame left at the end of the stream. */
  get leftover(): number {
    return this.pending.length;
  }
}

/** The text of a whole buffered stream (e.g. `container.logs()` without follow), stdout and stderr in order. */
export function demuxedText(buffer: Buffer): string {
  return Buffer.concat(new ExecFrameParser().push(buffer).map((frame) => frame.data)).toString();
}
