import { z } from 'zod';
import { commandInput } from '../deployments/commands';
import { processName } from './process.schema';

/**
 * A Heroku Procfile: one `name: command` a line, `#` comments and blank lines ignored. `web` is the
 * start command, `release` the release command, every other name a process (its command runs through
 * the image's shell, as on Heroku).
 */
export const PROCFILE = 'Procfile';

export class ProcfileError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'ProcfileError';
  }
}

export type ProcfileEntry = { name: string; command: string; line: number };

const entry = z.object({ name: processName, command: commandInput.pipe(z.string()) });

export function parseProcfile(text: string, file = PROCFILE): ProcfileEntry[] {
  const entries: ProcfileEntry[] = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([^:\s]+)\s*:(.*)$/.exec(trimmed);
    if (!match) {
      throw new ProcfileError(
        `${file}:${line}: expected "name: command" (e.g. "worker: node worker.js"), got "${trimmed.slice(0, 80)}"`,
        line,
      );
    }
    const parsed = entry.safeParse({ name: match[1], command: match[2] });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const what = issue.path[0] === 'name' ? `"${match[1]}"` : `${match[1]}`;
      throw new ProcfileError(`${file}:${line}: ${what}: ${issue.message}`, line);
    }
    const earlier = seen.get(parsed.data.name);
    if (earlier !== undefined) {
      throw new ProcfileError(
        `${file}:${line}: "${parsed.data.name}" is already declared on line ${earlier}`,
        line,
      );
    }
    seen.set(parsed.data.name, line);
    entries.push({ ...parsed.data, line });
  }
  return entries;
}
