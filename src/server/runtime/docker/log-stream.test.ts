import { describe, expect, it } from 'vitest';
import type { LogLine } from '../types';
import { readLogFrames } from './log-stream';

function frame(stream: 1 | 2, text: string | Buffer): Buffer {
  const payload = typeof text === 'string' ? Buffer.from(text) : text;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

async function read(chunks: Buffer[]): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of readLogFrames(chunks)) lines.push(line);
  return lines;
}

describe('readLogFrames', () => {
  it('splits stdout and stderr frames into lines with their timestamps', async () => {
    const bytes = Buffer.concat([
      frame(1, '2024-05-01T10:00:00.123456789Z hello\n'),
      frame(2, '2024-05-01T10:00:01.5Z oops\r\n'),
      frame(1, '2024-05-01T10:00:02Z two\nlines\n'),
    ]);
    expect(await read([bytes])).toEqual([
      { stream: 'stdout', line: 'hello', time: new Date('2024-05-01T10:00:00.123Z') },
      { stream: 'stderr', line: 'oops', time: new Date('2024-05-01T10:00:01.500Z') },
      { stream: 'stdout', line: 'two', time: new Date('2024-05-01T10:00:02Z') },
      { stream: 'stdout', line: 'lines', time: new Date('2024-05-01T10:00:02Z') },
    ]);
  });

  it('reassembles frames and UTF-8 characters split across chunks and partial messages', async () => {
    const euro = Buffer.from('€');
    const bytes = Buffer.concat([
      frame(1, Buffer.concat([Buffer.from('2024-05-01T10:00:00Z price 5'), euro.subarray(0, 1)])),
      frame(1, Buffer.concat([Buffer.from('2024-05-01T10:00:01Z '), euro.subarray(1), Buffer.from('\n')])),
      frame(2, 'no timestamp and no newline'),
    ]);
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 20), bytes.subarray(20)];
    expect(await read(chunks)).toEqual([
      { stream: 'stdout', line: 'price 5€', time: new Date('2024-05-01T10:00:00Z') },
      { stream: 'stderr', line: 'no timestamp and no newline', time: null },
    ]);
  });

  it('yields nothing for an empty log', async () => {
    expect(await read([Buffer.alloc(0)])).toEqual([]);
  });
});
