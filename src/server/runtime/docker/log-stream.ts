import { StringDecoder } from 'node:string_decoder';
import type { LogLine } from '../types';

/**
 * Decodes Docker's multiplexed log stream (containers without a TTY): frames of an 8-byte header —
 * stream type (1 stdout, 2 stderr), three zero bytes, payload size (uint32 big-endian) — and a payload.
 * With `timestamps=true` every frame is one log message prefixed by an RFC 3339 timestamp and a space.
 */
export async function* readLogFrames(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<LogLine> {
  const assemblers = { stdout: new LineAssembler('stdout'), stderr: new LineAssembler('stderr') };
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    while (pending.length >= HEADER_SIZE) {
      const size = pending.readUInt32BE(4);
      if (pending.length < HEADER_SIZE + size) break;
      const type = pending[0];
      const payload = pending.subarray(HEADER_SIZE, HEADER_SIZE + size);
      pending = pending.subarray(HEADER_SIZE + size);
      const assembler = type === 2 ? assemblers.stderr : assemblers.stdout;
      yield* assembler.push(payload);
    }
  }
  yield* assemblers.stdout.flush();
  yield* assemblers.stderr.flush();
}

const HEADER_SIZE = 8;
// RFC3339Nano as Docker writes it: 2024-05-01T10:00:00.123456789Z
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_TIMESTAMP_LENGTH = 40;

/** Joins the messages of one stream into lines; a line keeps the time of the message it started in. */
class LineAssembler {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private time: Date | null = null;

  constructor(private readonly stream: LogLine['stream']) {}

  push(payload: Buffer): LogLine[] {
    const { time, rest } = splitTimestamp(payload);
    if (this.text === '') this.time = time;
    this.text += this.decoder.write(rest);
    const lines: LogLine[] = [];
    let end = this.text.indexOf('\n');
    while (end >= 0) {
      lines.push(this.line(this.text.slice(0, end)));
      this.text = this.text.slice(end + 1);
      this.time = time;
      end = this.text.indexOf('\n');
    }
    return lines;
  }

  flush(): LogLine[] {
    this.text += this.decoder.end();
    if (this.text === '') return [];
    const last = this.line(this.text);
    this.text = '';
    return [last];
  }

  private line(text: string): LogLine {
    return { stream: this.stream, line: text.endsWith('\r') ? text.slice(0, -1) : text, time: this.time };
  }
}

function splitTimestamp(payload: Buffer): { time: Date | null; rest: Buffer } {
  const space = payload.subarray(0, MAX_TIMESTAMP_LENGTH + 1).indexOf(0x20);
  if (space <= 0) return { time: null, rest: payload };
  const candidate = payload.subarray(0, space).toString('latin1');
  if (!TIMESTAMP.test(candidate)) return { time: null, rest: payload };
  const time = new Date(candidate);
  return { time: Number.isNaN(time.getTime()) ? null : time, rest: payload.subarray(space + 1) };
}
