import type { LogLine } from '@/server/runtime/types';
import { waitFor } from './wait';

/** Every line of a finite log stream. */
export async function collectLogLines(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const result: LogLine[] = [];
  for await (const line of lines) result.push(line);
  return result;
}

/** Consumes a followed log in the background; `waitFor` pokes the app until a matching line arrives. */
export function watchLogs(lines: AsyncIterable<LogLine>) {
  const seen: LogLine[] = [];
  const done = (async () => {
    for await (const line of lines) seen.push(line);
  })();
  return {
    seen,
    done,
    async waitFor(match: (line: LogLine) => boolean, poke: () => Promise<unknown>, timeoutMs = 15_000) {
      await waitFor(
        async () => {
          if (seen.some(match)) return true;
          await poke().catch(() => {});
          return seen.some(match);
        },
        { description: 'a matching log line', timeoutMs, context: () => `saw ${JSON.stringify(seen)}` },
      );
    },
  };
}
