import type { LogLine } from '@/server/runtime/types';

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
      const deadline = Date.now() + timeoutMs;
      while (!seen.some(match)) {
        if (Date.now() > deadline) throw new Error(`no matching log line; saw ${JSON.stringify(seen)}`);
        await poke().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
}
