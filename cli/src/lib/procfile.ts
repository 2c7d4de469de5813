import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCFILE } from '../../../src/shared/processes/procfile';

/** The Procfile in `dir` (its text and path), or null when there is none. */
export function readProcfile(dir: string): { text: string; file: string } | null {
  const file = join(dir, PROCFILE);
  if (!existsSync(file)) return null;
  return { text: readFileSync(file, 'utf8'), file };
}
