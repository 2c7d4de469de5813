import { describe, expect, it } from 'vitest';
import { demuxedText, ExecFrameParser } from './exec-frames';

function frame(type: number, text: string): Buffer {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

describe('ExecFrameParser', () => {
  it('splits stdout and stderr frames', () => {
    const frames = new ExecFrameParser().push(Buffer.concat([frame(1, 'out'), frame(2, 'err')]));
    expect(frames.map((f) => [f.stream, f.data.toString()])).toEqual([
      ['stdout', 'out'],
      ['stderr', 'err'],
    ]);
  });

  it('reassembles frames split across chunks, headers included', () => {
    const bytes = Buffer.concat([frame(1, 'hello'), frame(1, 'world')]);
    const parser = new ExecFrameParser();
    const texts: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) {
      for (const f of parser.push(bytes.subarray(i, i + 3))) texts.push(f.data.toString());
    }
    expect(texts).toEqual(['hello', 'world']);
    expect(parser.leftover).toBe(0);
  });

  it('keeps an incomplete frame for the next chunk', () => {
    const parser = new ExecFrameParser();
    expect(parser.push(frame(1, 'abcdef').subarray(0, 10))).toEqual([]);
    expect(parser.leftover).toBe(10);
  });
});

describe('demuxedText', () => {
  it('joins all frames in order', () => {
    expect(demuxedText(Buffer.concat([frame(1, 'a\n'), frame(2, 'b\n'), frame(1, 'c\n')]))).toBe('a\nb\nc\n');
  });
});
