import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const lockFile = z.object({
  pid: z.number().int().positive(),
  startTime: z.string().nullable(),
  at: z.string(),
});
type LockHolder = z.infer<typeof lockFile>;

/** Another live `npm start` holds the data directory. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    readonly lockPath: string,
  ) {
    super(
      `Rise is already running on the data directory ${dataDir}: process ${holder.pid} (started ${holder.at}) ` +
        `holds ${lockPath}. Stop it first (Ctrl+C in its terminal, or \`kill ${holder.pid}\`), ` +
        'or give this one another data directory with RISE_DATA_DIR.',
    );
    this.name = 'DataDirInUseError';
  }
}

/** The kernel's start time of `pid` (field 22 of /proc/<pid>/stat), which tells a reused pid apart. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = processStartTime(holder.pid);
  return holder.startTime === null || startTime === null || startTime === holder.startTime;
}

function readHolder(path: string): LockHolder | null {
  try {
    return lockFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Claims `<dataDir>/rise.pid` for this process: one `npm start` per data directory. A lock left by a
 * process that is gone (crash, reboot) is taken over; a live holder makes this throw DataDirInUseError.
 */
export function acquireDataDirLock(dataDir: string): { path: string; release: () => void } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'rise.pid');
  const me: LockHolder = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    at: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      return {
        path,
        release: () => {
          if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder && holder.pid !== process.pid && isAlive(holder))
      throw new DataDirInUseError(dataDir, holder, path);
    // Stale (its process is gone) or unreadable (a crash while writing): take it over.
    rmSync(path, { force: true });
  }
  throw new Error(`could not claim ${path}: another process keeps replacing it`);
}
