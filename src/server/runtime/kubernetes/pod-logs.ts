import { StringDecoder } from 'node:string_decoder';
import type { LogLine } from '../types';

/**
 * Pod logs as the API serves them with `timestamps=true`: one line per message, prefixed by an
 * RFC 3339 timestamp and a space. The API merges stdout and stderr, so every line reads as stdout.
 */

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_TIMESTAMP_LENGTH = 40;

export function parsePodLogLine(text: string): LogLine {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  const space = line.indexOf(' ');
  if (space > 0 && space <= MAX_TIMESTAMP_LENGTH) {
    const candidate = line.slice(0, space);
    if (TIMESTAMP.test(candidate)) {
      const time = new Date(candidate);
      if (!Number.isNaN(time.getTime())) return { stream: 'stdout', line: line.slice(space + 1), time };
    }
  }
  return { stream: 'stdout', line, time: null };
}

/** Splits a whole log body into lines (a trailing newline ends the last line, it adds none). */
export function parsePodLog(text: string): LogLine[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map(parsePodLogLine);
}

/** Turns a stream of chunks into lines as they complete; a final unterminated line is yielded at the end. */
export async function* readPodLogLines(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<LogLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk));
    let end = pending.indexOf('\n');
    while (end >= 0) {
      yield parsePodLogLine(pending.slice(0, end));
      pending = pending.slice(end + 1);
      end = pending.indexOf('\n');
    }
  }
  pending += decoder.end();
  if (pending !== '') yield parsePodLogLine(pending);
}

/**
 * Lines of several pods in time order, the last `tail`. A line without a time sorts with the line
 * before it in its pod; equal times keep the pods' own order.
 */
export function mergeByTime(perPod: LogLine[][], tail: number): LogLine[] {
  if (tail <= 0) return [];
  const all = perPod.flatMap((lines, pod) => {
    let time = 0;
    return lines.map((line, index) => {
      time = line.time?.getTime() ?? time;
      return { line, pod, index, time };
    });
  });
  all.sort((a, b) => a.time - b.time || a.pod - b.pod || a.index - b.index);
  return all.slice(-tail).map((entry) => entry.line);
}
