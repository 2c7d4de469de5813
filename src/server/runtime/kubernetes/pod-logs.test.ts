import { describe, expect, it } from 'vitest';
import { mergeByTime, parsePodLog, parsePodLogLine, readPodLogLines } from './pod-logs';

describe('parsePodLogLine', () => {
  it('splits off the RFC 3339 timestamp the API prefixes with timestamps=true', () => {
    expect(parsePodLogLine('2026-11-22T01:32:00.123456789Z GET /health 200')).toEqual({
      stream: 'stdout',
      line: 'GET /health 200',
      time: new Date('2026-11-22T01:32:00.123Z'),
    });
    expect(parsePodLogLine('2026-11-22T01:32:00+02:00 x').time).toEqual(new Date('2026-11-21T23:32:00Z'));
  });

  it('keeps lines without a timestamp whole, and strips a carriage return', () => {
    expect(parsePodLogLine('plain text here')).toEqual({
      stream: 'stdout',
      line: 'plain text here',
      time: null,
    });
    expect(parsePodLogLine('2026-11-22T01:32:00Z windows\r').line).toBe('windows');
    expect(parsePodLogLine('2026-11-22T01:32:00Z ')).toMatchObject({ line: '' });
  });
});

describe('parsePodLog', () => {
  it('splits a body into lines; the final newline adds none', () => {
    expect(parsePodLog('')).toEqual([]);
    expect(parsePodLog('a\nb\n').map((l) => l.line)).toEqual(['a', 'b']);
    expect(parsePodLog('a\n\nb').map((l) => l.line)).toEqual(['a', '', 'b']);
  });
});

describe('readPodLogLines', () => {
  it('assembles lines across chunks, also inside multi-byte characters', async () => {
    const bytes = Buffer.from('2026-11-22T01:32:00Z héllo\n2026-11-22T01:32:01Z wörld\nlast');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const lines = [];
    for await (const line of readPodLogLines(chunks())) lines.push(line);
    expect(lines.map((l) => l.line)).toEqual(['héllo', 'wörld', 'last']);
    expect(lines[1]?.time).toEqual(new Date('2026-11-22T01:32:01Z'));
    expect(lines[2]?.time).toBeNull();
  });
});

describe('mergeByTime', () => {
  const at = (line: string, second: number | null) => ({
    stream: 'stdout' as const,
    line,
    time: second === null ? null : new Date(Date.UTC(2026, 10, 22, 1, 32, second)),
  });

  it('interleaves pods by time and keeps the last `tail` lines', () => {
    const oldPod = [at('old-1', 1), at('old-2', 3)];
    const newPod = [at('new-1', 2), at('new-2', 4)];
    expect(mergeByTime([oldPod, newPod], 10).map((l) => l.line)).toEqual([
      'old-1',
      'new-1',
      'old-2',
      'new-2',
    ]);
    expect(mergeByTime([oldPod, newPod], 2).map((l) => l.line)).toEqual(['old-2', 'new-2']);
    expect(mergeByTime([oldPod, newPod], 0)).toEqual([]);
  });

  it('keeps a line without a time after the line before it', () => {
    const pod = [at('a', 1), at('continued', null), at('b', 5)];
    const other = [at('x', 2)];
    expect(mergeByTime([pod, other], 10).map((l) => l.line)).toEqual(['a', 'continued', 'x', 'b']);
  });
});
